import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExplorerService } from '../dataset/explorer-service';
import type { MapProgress } from '../shared/map-api';
import { deleteDataset } from '../store/datasets';
import { MagpieDB } from '../store/db';
import { layoutUuids } from '../store/map-layout-format';
import { MapService } from './map-service';
import { topicRecords, type Topic } from './topic-fixture';

vi.setConfig({ testTimeout: 120_000 });

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

const LACKING: Topic = 'Information seeking';

/** Cells of a sixteenth of the map's half-width, counted here on their own. */
function cells(xy: ArrayLike<number>): Set<string> {
  const out = new Set<string>();
  for (let k = 0; k < xy.length; k += 2)
    out.add(`${Math.floor(xy[k]! * 16)},${Math.floor(xy[k + 1]! * 16)}`);
  return out;
}

async function setup() {
  const db = new MagpieDB(`map-overlay-${crypto.randomUUID()}`);
  cleanup.push(() => db.delete());
  // The base lacks one of the three topics; the other dataset has all three.
  const base = topicRecords('base', 450, 2).filter((r) => r.task_category !== LACKING);
  const other = topicRecords('other', 300, 7);
  const same = topicRecords('same', 200, 11).filter((r) => r.task_category !== LACKING);
  await db.records.bulkPut([...base, ...other, ...same]);
  await db.datasets.bulkPut(
    ['base', 'other', 'same'].map((id) => ({ id, name: id, createdAt: Date.now() })),
  );
  const svc = new MapService();
  await svc.useDatabase(db.name);
  expect(await svc.compute('base', { method: 'text', seed: 1 }, () => undefined)).toMatchObject({
    ok: true,
  });
  const explorer = new ExplorerService();
  await explorer.useDatabase(db.name);
  cleanup.unshift(() => explorer.useDatabase('closed'));
  return { db, svc, explorer, base, other, same };
}

describe('another dataset on the map (coverage)', () => {
  it('puts a topic the map lacks apart, and the coverage counts show it', async () => {
    const { db, svc, explorer, base, other, same } = await setup();
    const phases = new Set<string>();
    const out = await svc.overlay('base', 'other', (p: MapProgress) => phases.add(p.phase));
    expect(out).toMatchObject({ ok: true, value: { points: 300 } });
    expect([...phases]).toEqual(expect.arrayContaining(['read', 'place', 'save']));

    const layout = (await db.mapLayouts.get('base'))!;
    const stored = layout.overlays!.find((o) => o.datasetId === 'other')!;
    const uuids = layoutUuids(stored);
    expect(new Set(uuids)).toEqual(new Set(other.map((r) => r.uuid)));
    const topicOf = new Map(other.map((r) => [r.uuid, r.task_category]));
    const lacking = uuids.flatMap((u, k) => (topicOf.get(u) === LACKING ? [k] : []));
    const known = uuids.flatMap((u, k) => (topicOf.get(u) !== LACKING ? [k] : []));
    // Every record of the lacking topic is on an island right of the map, few others are.
    const onIsland = (k: number) => stored.xy[2 * k]! > 1.05;
    expect(lacking.filter(onIsland)).toHaveLength(lacking.length);
    expect(known.filter(onIsland).length).toBeLessThanOrEqual(known.length * 0.05);
    expect(stored.novel).toBe(uuids.filter((_, k) => onIsland(k)).length);

    // Apart: no base point near any record of the lacking topic.
    const baseXy = layout.xy;
    let nearest = Infinity;
    for (const k of lacking)
      for (let p = 0; p < baseXy.length / 2; p++)
        nearest = Math.min(
          nearest,
          Math.hypot(
            stored.xy[2 * k]! - baseXy[2 * p]!,
            stored.xy[2 * k + 1]! - baseXy[2 * p + 1]!,
          ),
        );
    expect(nearest).toBeGreaterThan(0.1);
    // The topics the map has land among the map's own records of that topic.
    const baseUuids = layoutUuids(layout);
    const baseTopic = new Map(base.map((r) => [r.uuid, r.task_category]));
    const centre = (topic: string) => {
      const ps = baseUuids.flatMap((u, p) => (baseTopic.get(u) === topic ? [p] : []));
      return [0, 1].map((d) => ps.reduce((s, p) => s + baseXy[2 * p + d]!, 0) / ps.length);
    };
    const centres = new Map(['Advice seeking', 'Coding & Debugging'].map((t) => [t, centre(t)]));
    let right = 0;
    const onMap = known.filter((k) => !onIsland(k));
    for (const k of onMap) {
      const [best] = [...centres].sort(
        ([, a], [, b]) =>
          Math.hypot(stored.xy[2 * k]! - a[0]!, stored.xy[2 * k + 1]! - a[1]!) -
          Math.hypot(stored.xy[2 * k]! - b[0]!, stored.xy[2 * k + 1]! - b[1]!),
      )[0]!;
      if (best === topicOf.get(uuids[k]!)) right++;
    }
    expect(right).toBeGreaterThanOrEqual(onMap.length * 0.97);
    // Islands are labelled with the lacking topic's words.
    expect(stored.labels.flatMap((l) => l.terms)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/planet|galaxy|telescope|orbit|nebula|comet|asteroid|gravity/),
      ]),
    );

    // Coverage, as the page gets it, equals the cells counted from the stored positions.
    const points = (await explorer.mapPoints('base', 'none'))!;
    const overlay = points.overlays.find((o) => o.datasetId === 'other')!;
    const a = cells(baseXy);
    const b = cells(stored.xy);
    const both = [...a].filter((c) => b.has(c)).length;
    expect(overlay.coverage).toMatchObject({
      onlyBase: a.size - both,
      onlyOther: b.size - both,
      both,
    });
    // Every cell of the lacking topic is ground only the other dataset covers.
    const lackingCells = cells(lacking.flatMap((k) => [stored.xy[2 * k]!, stored.xy[2 * k + 1]!]));
    for (const c of lackingCells) expect(a.has(c)).toBe(false);
    expect(overlay.coverage.onlyOther).toBeGreaterThanOrEqual(lackingCells.size);

    // The cells only the base covers, as a region filter: exactly the base records in them.
    const view = await settle(explorer, { region: overlay.coverage.onlyBaseRegion });
    const onlyA = new Set(
      baseUuids.filter((_, p) => {
        const [c] = cells([baseXy[2 * p]!, baseXy[2 * p + 1]!]);
        return !b.has(c!);
      }),
    );
    expect(onlyA.size).toBeGreaterThan(0);
    const rows = await explorer.rows(view.queryId, 0, view.total);
    expect(new Set(rows.map((r) => r!.uuid))).toEqual(onlyA);

    // A dataset of the map's own topics finds no new ground.
    expect(await svc.overlay('base', 'same', () => undefined)).toMatchObject({ ok: true });
    const again = (await db.mapLayouts.get('base'))!;
    expect(again.overlays!.map((o) => o.datasetId)).toEqual(['other', 'same']);
    expect(again.overlays![1]!.novel).toBeLessThanOrEqual(same.length * 0.03);

    // A recompute is a new fit: what was placed against the old one goes with it.
    await svc.compute('base', { method: 'text', seed: 2 }, () => undefined);
    expect((await db.mapLayouts.get('base'))!.overlays).toBeUndefined();
  });

  it('deleting the compared dataset takes it off the map and out of the store', async () => {
    const { db, svc, explorer } = await setup();
    expect(await svc.overlay('base', 'other', () => undefined)).toMatchObject({ ok: true });
    expect(await svc.overlay('base', 'same', () => undefined)).toMatchObject({ ok: true });
    expect((await explorer.mapPoints('base', 'none'))!.overlays).toHaveLength(2);

    await deleteDataset(db, 'other');
    expect((await db.mapLayouts.get('base'))!.overlays!.map((o) => o.datasetId)).toEqual(['same']);
    expect((await explorer.mapPoints('base', 'none'))!.overlays.map((o) => o.datasetId)).toEqual([
      'same',
    ]);
    // Deleted while it is being placed (its records already read): not stored.
    let deleting: Promise<void> | undefined;
    const late = await svc.overlay('base', 'same', (p) => {
      if (p.phase === 'place') deleting ??= deleteDataset(db, 'same');
    });
    await deleting;
    expect(late).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('deleted') },
    });
    expect((await db.mapLayouts.get('base'))!.overlays).toEqual([]);
  });

  it('stops when asked and stores nothing', async () => {
    const { db, svc } = await setup();
    const out = await svc.overlay('base', 'other', () => void svc.stop());
    expect(out).toMatchObject({ ok: false, error: { code: 'aborted' } });
    expect((await db.mapLayouts.get('base'))!.overlays).toBeUndefined();
  });

  it('says why when there is no map or nothing to compare', async () => {
    const { svc } = await setup();
    expect(await svc.overlay('other', 'base', () => undefined)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('map first') },
    });
    expect(await svc.overlay('base', 'empty', () => undefined)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('no records') },
    });
  });
});

async function settle(explorer: ExplorerService, filter: { region: number[] }) {
  let view = await explorer.query('base', filter, { key: 'createdAt', desc: true });
  for (let i = 0; i < 100 && view.indexing; i++) {
    await new Promise((r) => setTimeout(r, 50));
    view = await explorer.query('base', filter, { key: 'createdAt', desc: true });
  }
  return view;
}
