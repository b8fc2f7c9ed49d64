/**
 * Turns WebLLM's `InitProgressReport`s into the three-phase LoadProgress the page shows.
 *
 * WebLLM 0.2.86 reports `progress` 0..1 once per phase, so the phase has to be read from
 * the text. The texts, as built in node_modules/@mlc-ai/web-llm/lib/index.js:
 *   "Start to fetch params"                                      (weights step begins)
 *   "Fetching param cache[i/n]: <MB>MB fetched. <p>% completed, <s> secs elapsed. ..."
 *       only when some shard is missing from the cache (`!cacheOnly`)
 *   "Loading model from cache[i/n]: <MB>MB loaded. <p>% completed, <s> secs elapsed."
 *   "Loading GPU shader modules[i/n]: <p>% completed, <s> secs elapsed."
 *   "Finish loading on WebGPU - <adapter description or vendor>"  (progress 1)
 * No "Fetching" report before the first "Loading model from cache" means the weights
 * were already in the browser cache.
 */
import type { InitProgressReport } from '@mlc-ai/web-llm';
import type { LoadProgress } from '../../shared/load-progress';

const FETCH = /^Fetching param cache\[(\d+)\/(\d+)\]:\s*(\d+)MB fetched/;
const CACHE = /^Loading model from cache\[(\d+)\/(\d+)\]:\s*(\d+)MB loaded/;
const SHADERS = /^Loading GPU shader modules\[(\d+)\/(\d+)\]/;
const START = /^Start to fetch params/;
const FINISH = /^Finish loading on\s*(.*)$/;

export const initialLoadProgress: LoadProgress = {
  phase: 'starting',
  fetch: 0,
  cache: 0,
  shaders: 0,
  elapsedS: 0,
  text: '',
};

function fraction(p: number): number {
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
}

/** The next state after one report; phases never go back and values never shrink. */
export function nextLoadProgress(prev: LoadProgress, report: InitProgressReport): LoadProgress {
  const p = fraction(report.progress);
  const text = report.text;
  const base = { ...prev, text, elapsedS: report.timeElapsed };
  let m: RegExpExecArray | null;

  if ((m = FETCH.exec(text))) {
    const fetchedMB = Math.max(Number(m[3]), prev.fetchedMB ?? 0);
    const fetch = Math.max(prev.fetch, p);
    const totalMB = fetch > 0 ? Math.round(fetchedMB / fetch) : prev.totalMB;
    return { ...base, phase: 'fetch', fetch, fetchedMB, totalMB, fromCache: false };
  }
  if ((m = CACHE.exec(text))) {
    const fromCache = prev.fromCache ?? true;
    const cache = Math.max(prev.cache, p);
    const loadedMB = Math.max(Number(m[3]), prev.loadedMB ?? 0);
    // After a download the fetch estimate (exact at 100%) stands; else estimate it here.
    const estimate = cache > 0 ? Math.round(loadedMB / cache) : undefined;
    const totalMB = fromCache ? (estimate ?? prev.totalMB) : (prev.totalMB ?? estimate);
    return { ...base, phase: 'cache', fetch: 1, cache, loadedMB, totalMB, fromCache };
  }
  if (SHADERS.test(text)) {
    const shaders = Math.max(prev.shaders, p);
    return { ...base, phase: 'shaders', fetch: 1, cache: 1, shaders };
  }
  if ((m = FINISH.exec(text))) {
    const gpu = m[1] || undefined;
    return { ...base, phase: 'done', fetch: 1, cache: 1, shaders: 1, gpu };
  }
  if (START.test(text)) return { ...base, phase: prev.phase };
  // A text this version doesn't know: keep the bars, show the words.
  return base;
}

/** A stateful mapper for one load: feed it each report, get the page's view back. */
export function createLoadProgressTracker(): (report: InitProgressReport) => LoadProgress {
  let state = initialLoadProgress;
  return (report) => (state = nextLoadProgress(state, report));
}
