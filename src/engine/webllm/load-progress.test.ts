/**
 * Progress mapping over report sequences as WebLLM 0.2.86 emits them (texts built in
 * lib/index.js `fetchTensorCacheInternal`, `asyncLoadWebGPUPipelines`, `reloadInternal`).
 * The contract test reads the shipped source so a WebLLM upgrade that rewords a text fails here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { InitProgressReport } from '@mlc-ai/web-llm';
import type { LoadProgress } from '../../shared/load-progress';
import { createLoadProgressTracker } from './load-progress';

const LATER =
  ' It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.';
const fetchR = (i: number, mb: number, p: number, s: number): InitProgressReport => ({
  progress: p,
  timeElapsed: s,
  text: `Fetching param cache[${i}/22]: ${mb}MB fetched. ${Math.floor(p * 100)}% completed, ${s} secs elapsed.${LATER}`,
});
const cacheR = (i: number, mb: number, p: number, s: number): InitProgressReport => ({
  progress: p,
  timeElapsed: s,
  text: `Loading model from cache[${i}/22]: ${mb}MB loaded. ${Math.floor(p * 100)}% completed, ${s} secs elapsed.`,
});
const shaderR = (i: number, s: number): InitProgressReport => ({
  progress: i / 89,
  timeElapsed: s,
  text: `Loading GPU shader modules[${i}/89]: ${Math.floor((i / 89) * 100)}% completed, ${s} secs elapsed.`,
});
const start: InitProgressReport = { progress: 0, timeElapsed: 0, text: 'Start to fetch params' };
const finish: InitProgressReport = {
  progress: 1,
  timeElapsed: 31.7,
  text: 'Finish loading on WebGPU - NVIDIA GeForce RTX 3060',
};

const firstLoad = [
  start,
  fetchR(1, 33, 0.04, 1),
  fetchR(2, 65, 0.08, 1),
  fetchR(12, 424, 0.55, 9),
  fetchR(22, 776, 1, 17),
  cacheR(1, 33, 0.04, 18),
  cacheR(11, 388, 0.5, 21),
  cacheR(22, 776, 1, 24),
  shaderR(30, 1),
  shaderR(89, 5),
  finish,
];
const cachedLoad = [start, cacheR(1, 33, 0.04, 0), cacheR(22, 776, 1, 3), shaderR(89, 2), finish];

const run = (reports: InitProgressReport[]): LoadProgress[] =>
  reports.map(createLoadProgressTracker());

describe('load progress', () => {
  it('splits a first load into fetch -> cache -> shaders, each bar only growing', () => {
    const seen = run(firstLoad);
    expect(seen.map((s) => s.phase)).toEqual([
      'starting',
      'fetch',
      'fetch',
      'fetch',
      'fetch',
      'cache',
      'cache',
      'cache',
      'shaders',
      'shaders',
      'done',
    ]);
    for (let i = 1; i < seen.length; i++) {
      for (const k of ['fetch', 'cache', 'shaders'] as const) {
        expect(seen[i]![k]).toBeGreaterThanOrEqual(seen[i - 1]![k]);
      }
    }
    expect(seen[3]).toMatchObject({
      fetch: 0.55,
      cache: 0,
      fetchedMB: 424,
      totalMB: 771,
      fromCache: false,
      elapsedS: 9,
    });
    expect(seen[6]).toMatchObject({ fetch: 1, cache: 0.5, loadedMB: 388, fromCache: false });
    expect(seen[8]).toMatchObject({ cache: 1, shaders: 30 / 89 });
    expect(seen.at(-1)).toMatchObject({
      phase: 'done',
      fetch: 1,
      cache: 1,
      shaders: 1,
      fromCache: false,
      gpu: 'WebGPU - NVIDIA GeForce RTX 3060',
    });
  });

  it('knows a cached second load: no fetch reports, fromCache true', () => {
    const seen = run(cachedLoad);
    expect(seen[0]!.fromCache).toBeUndefined();
    expect(seen[1]).toMatchObject({ phase: 'cache', fetch: 1, fromCache: true, loadedMB: 33 });
    expect(seen[2]).toMatchObject({ totalMB: 776 });
    expect(seen.at(-1)).toMatchObject({ phase: 'done', fromCache: true });
  });

  it('never moves a bar back on out-of-order or unknown reports', () => {
    const seen = run([
      start,
      fetchR(12, 424, 0.55, 9),
      fetchR(11, 390, 0.5, 9),
      { progress: 0.2, timeElapsed: 9, text: 'Something new' },
    ]);
    expect(seen[2]!.fetch).toBe(0.55);
    expect(seen[2]!.fetchedMB).toBe(424);
    expect(seen[3]).toMatchObject({ phase: 'fetch', fetch: 0.55, text: 'Something new' });
  });

  it("matches the texts in WebLLM's shipped source", () => {
    const require = createRequire(import.meta.url);
    const src = readFileSync(require.resolve('@mlc-ai/web-llm'), 'utf8');
    for (const t of [
      '"Start to fetch params"',
      '"Fetching param cache[" + iter + "/" + list.length + "]: "',
      '"MB fetched. "',
      '"Loading model from cache[" + iter + "/" + list.length + "]: "',
      '"MB loaded. "',
      '"Loading GPU shader modules[" + finishCounter + "/" + fmapEntries.length + "]: "',
      '"Finish loading on " + gpuLabel',
    ]) {
      expect(src).toContain(t);
    }
  });
});
