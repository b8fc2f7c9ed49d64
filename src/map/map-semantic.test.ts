/**
 * The map's semantic method at its one seam: WebLLM's MLCEngine replaced by the fake
 * embedder (no model can be downloaded here). What is checked is the map's side: the model
 * asked for, every instruction embedded, the progress the user sees, stored positions that
 * keep topics apart, later records and another dataset placed with the same model, a failed
 * download explained.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MapProgress } from '../shared/map-api';
import { layoutUuids } from '../store/map-layout-format';
import { MagpieDB } from '../store/db';
import { state } from '../test-support/fake-webllm-embedder';
import { MapService } from './map-service';
import { topicOf, topicRecords } from './topic-fixture';

vi.mock('@mlc-ai/web-llm', async () => ({
  MLCEngine: (await import('../test-support/fake-webllm-embedder')).FakeMLCEngine,
}));
vi.setConfig({ testTimeout: 120_000 });

const MODEL = 'snowflake-arctic-embed-s-q0f32-MLC-b4';
const dbs: MagpieDB[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
  state.engines.length = 0;
  state.reloadError = undefined;
});

async function seeded(count: number) {
  const db = new MagpieDB(`map-sem-${crypto.randomUUID()}`);
  dbs.push(db);
  const records = topicRecords('ds', count, 3);
  await db.records.bulkPut(records);
  const svc = new MapService();
  await svc.useDatabase(db.name);
  return { db, records, svc };
}

describe('map by meaning (WebLLM embedding model)', () => {
  it('embeds every instruction with the chosen model and stores a map that keeps topics apart', async () => {
    const { db, records, svc } = await seeded(300);
    const progress: MapProgress[] = [];
    const out = await svc.compute('ds', { method: 'semantic', seed: 1, embedModel: MODEL }, (p) => {
      progress.push(p);
    });
    expect(out).toMatchObject({ ok: true, value: { points: 300 } });
    const [engine] = state.engines;
    expect(engine?.calls).toEqual([`reload ${MODEL}`, 'unload']);
    const embedded = (engine?.inputs as { input: string[] }[]).flatMap((i) => i.input);
    expect(new Set(embedded)).toEqual(new Set(records.map((r) => r.instruction)));
    // The download's own progress line reaches the page.
    expect(progress.find((p) => p.phase === 'model')?.text).toContain('Fetching param cache');

    const layout = (await db.mapLayouts.get('ds'))!;
    expect(layout).toMatchObject({ method: 'semantic', modelId: MODEL });
    const uuids = layoutUuids(layout);
    const topic = new Map(records.map((r, i) => [r.uuid, topicOf(i)]));
    // Nearly every point's nearest other point is of its own topic (a third would be chance;
    // the fake's 64 hashed word buckets let a few words of different topics collide).
    let same = 0;
    for (let p = 0; p < uuids.length; p++) {
      let best = -1;
      let bestD = Infinity;
      for (let q = 0; q < uuids.length; q++) {
        if (q === p) continue;
        const d =
          (layout.xy[2 * p]! - layout.xy[2 * q]!) ** 2 +
          (layout.xy[2 * p + 1]! - layout.xy[2 * q + 1]!) ** 2;
        if (d < bestD) [best, bestD] = [q, d];
      }
      if (topic.get(uuids[p]!) === topic.get(uuids[best]!)) same++;
    }
    expect(same).toBeGreaterThanOrEqual(0.9 * uuids.length);

    // Records added later are embedded with the same model and placed without a recompute.
    const late = topicRecords('ds', 9, 77).map((r) => ({ ...r, uuid: crypto.randomUUID() }));
    await db.records.bulkPut(late);
    expect(await svc.placeNew('ds')).toMatchObject({ ok: true, value: { placed: 9 } });
    const again = state.engines.at(-1)!;
    expect(again.calls[0]).toBe(`reload ${MODEL}`);
    expect(new Set((again.inputs as { input: string[] }[]).flatMap((i) => i.input))).toEqual(
      new Set(late.map((r) => r.instruction)),
    );
  });

  it('places another dataset with the model that made the map', async () => {
    const { db, svc } = await seeded(120);
    await svc.compute('ds', { method: 'semantic', seed: 1, embedModel: MODEL }, () => undefined);
    const other = topicRecords('other', 30, 8);
    await db.records.bulkPut(other);
    await db.datasets.put({ id: 'other', name: 'other', createdAt: Date.now() });
    expect(await svc.overlay('ds', 'other', () => undefined)).toMatchObject({
      ok: true,
      value: { points: 30 },
    });
    const engine = state.engines.at(-1)!;
    expect(engine.calls[0]).toBe(`reload ${MODEL}`);
    expect(new Set((engine.inputs as { input: string[] }[]).flatMap((i) => i.input))).toEqual(
      new Set(other.map((r) => r.instruction)),
    );
    const stored = (await db.mapLayouts.get('ds'))!.overlays![0]!;
    expect(new Set(layoutUuids(stored))).toEqual(new Set(other.map((r) => r.uuid)));
  });

  it('explains a model that cannot be downloaded and leaves no map', async () => {
    const { db, svc } = await seeded(50);
    state.reloadError = new Error('Failed to fetch');
    const out = await svc.compute(
      'ds',
      { method: 'semantic', seed: 1, embedModel: MODEL },
      () => undefined,
    );
    expect(out).toMatchObject({ ok: false, error: { code: 'download-failed' } });
    expect(await db.mapLayouts.get('ds')).toBeUndefined();
  });
});
