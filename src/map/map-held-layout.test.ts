import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExplorerService } from '../dataset/explorer-service';
import { DEFAULT_SORT } from '../shared/explorer-api';
import { MagpieDB } from '../store/db';
import type { MapLayoutRow } from '../store/map-layout-format';
import { MapService } from './map-service';
import { topicRecords } from './topic-fixture';

vi.setConfig({ testTimeout: 120_000 });

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanup.splice(0)) await c();
});

/** Reads of the stored layout table, counted at IndexedDB itself (every way a row is read). */
function countLayoutReads(): { reads: number } {
  const counter = { reads: 0 };
  for (const method of ['get', 'getAll', 'openCursor'] as const) {
    const original = IDBObjectStore.prototype[method] as (...a: unknown[]) => IDBRequest;
    vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (
      this: IDBObjectStore,
      ...args: unknown[]
    ) {
      if (this.name === 'mapLayouts') counter.reads++;
      return original.apply(this, args);
    } as never);
  }
  return counter;
}

/** Writes the layout row behind Dexie's back: no change notice reaches the dataset worker. */
async function writeUnheard(name: string, row: MapLayoutRow): Promise<void> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error as Error);
  });
  await new Promise<void>((resolve, reject) => {
    const tx = idb.transaction('mapLayouts', 'readwrite');
    tx.objectStore('mapLayouts').put(row);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error as Error);
  });
  idb.close();
}

async function setup() {
  const db = new MagpieDB(`map-held-${crypto.randomUUID()}`);
  cleanup.push(() => db.delete());
  const records = topicRecords('ds', 300, 4);
  await db.records.bulkPut(records);
  const svc = new MapService();
  await svc.useDatabase(db.name);
  const computed = await svc.compute('ds', { method: 'text', seed: 1 }, () => undefined);
  if (!computed.ok) throw new Error(computed.error.message);
  const explorer = new ExplorerService();
  await explorer.useDatabase(db.name);
  cleanup.unshift(() => explorer.useDatabase('closed'));
  let view = await explorer.query('ds', {}, DEFAULT_SORT);
  for (let i = 0; i < 100 && view.indexing; i++) {
    await new Promise((r) => setTimeout(r, 50));
    view = await explorer.query('ds', {}, DEFAULT_SORT);
  }
  return { db, svc, explorer, records, stamp: computed.value.layoutStamp };
}

describe('the map layout held in the dataset worker', () => {
  it('draws from memory until a write is heard of or passed on, then draws the new layout', async () => {
    const { db, svc, explorer, stamp } = await setup();
    const first = (await explorer.mapPoints('ds', 'none', undefined, stamp))!;
    expect(first.xy.length).toBe(600);

    // Drawing again, in other colours, and a region filter: no layout row is read.
    const counter = countLayoutReads();
    const again = (await explorer.mapPoints('ds', 'task_category'))!;
    expect(Array.from(again.xy)).toEqual(Array.from(first.xy));
    const right = await explorer.query('ds', { region: [0, -2, 2, -2, 2, 2, 0, 2] }, DEFAULT_SORT);
    expect(right.total).toBe(Array.from(first.xy).filter((v, i) => i % 2 === 0 && v > 0).length);
    expect(counter.reads).toBe(0);

    // Records added and placed by the map worker: the next draw has them.
    const late = topicRecords('ds', 30, 77).map((r) => ({ ...r, uuid: crypto.randomUUID() }));
    await db.records.bulkPut(late);
    const placed = await svc.placeNew('ds');
    expect(placed).toMatchObject({ ok: true, value: { placed: 30 } });
    if (!placed.ok) return;
    let view = await explorer.query('ds', {}, DEFAULT_SORT);
    for (let i = 0; i < 100 && view.datasetTotal < 330; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = await explorer.query('ds', {}, DEFAULT_SORT);
    }
    const grown = (await explorer.mapPoints('ds', 'none', undefined, placed.value.layoutStamp))!;
    expect(grown.xy.length).toBe(660);
    expect(grown.placedLater).toBe(30);

    // A write whose notice has not arrived: held until the page passes on its stamp.
    const row = (await db.mapLayouts.get('ds'))!;
    const moved = { ...row, xy: row.xy.map((v) => -v), version: row.version + 1 };
    await writeUnheard(db.name, moved);
    const before = counter.reads;
    expect((await explorer.mapPoints('ds', 'none'))!.xy).toEqual(grown.xy);
    expect(counter.reads).toBe(before);
    const now = (await explorer.mapPoints('ds', 'none', undefined, moved.version))!;
    expect(Array.from(now.xy)).toEqual(Array.from(grown.xy, (v) => -v || 0));
  });

  it('follows deleted, restored and edited records without reading the layout again', async () => {
    const { explorer, records, stamp } = await setup();
    const first = (await explorer.mapPoints('ds', 'none', undefined, stamp))!;
    const where = async (points: typeof first) => {
      const at = new Map<string, [number, number]>();
      for (let k = 0; k < points.xy.length / 2; k++) {
        const rec = await explorer.mapPointAt('ds', points.key, k);
        at.set(rec!.uuid, [points.xy[2 * k]!, points.xy[2 * k + 1]!]);
      }
      return at;
    };
    const placedAt = await where(first);
    const counter = countLayoutReads();

    const gone = records.slice(0, 5).map((r) => r.uuid);
    const deleted = await explorer.deleteRecords('ds', gone);
    const fewer = (await explorer.mapPoints('ds', 'none'))!;
    expect(fewer.xy.length).toBe(590);
    const fewerAt = await where(fewer);
    for (const u of gone) expect(fewerAt.has(u)).toBe(false);

    await explorer.restoreRecords('ds', deleted);
    const edited = records[7]!;
    await explorer.edit('ds', edited.uuid, { instruction: 'A new text for this instruction.' });
    const back = (await explorer.mapPoints('ds', 'none'))!;
    expect(back.xy.length).toBe(600);
    const backAt = await where(back);
    for (const u of [...gone, edited.uuid]) expect(backAt.get(u)).toEqual(placedAt.get(u));
    expect(counter.reads).toBe(0);
  });
});
