import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SortSpec } from '../shared/explorer-api';
import type { PairRecord } from '../shared/record';
import { MagpieDB } from '../store/db';
import { storePacks } from '../store/packs';
import { deleteStored, putRecord } from '../store/records';
import { DatasetIndex } from './dataset-index';
import { ExplorerService } from './explorer-service';
import { catchUp, scanStep, verify } from './sync';
import { DS, expectedView, varied } from './test-data';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

const SORT: SortSpec = { key: 'createdAt', desc: true };
const uuidsOf = (ix: DatasetIndex) =>
  ix.cols.uuids.filter((_, o) => ix.cols.alive[o]).sort() as string[];

/** Records stored part as rows, part as packs of `size` (as imports store them). */
async function mixedDb(records: PairRecord[], packed: (i: number) => boolean, size: number) {
  const db = new MagpieDB(`packed-sync-${crypto.randomUUID()}`);
  cleanup.push(() => db.delete());
  await db.records.bulkAdd(records.filter((_, i) => !packed(i)).map((r) => ({ ...r })));
  const inPacks = records.filter((_, i) => packed(i)).map((r) => ({ ...r }));
  // Packs are written per import: a run of consecutive records each.
  for (let i = 0; i < inPacks.length; i += size) await storePacks(db, inPacks.slice(i, i + size));
  return db;
}

describe('packed records in the dataset index', () => {
  it('the first full read takes rows and packs, every record once', async () => {
    const records = varied(700);
    // Two stretches of imports among generated rows, and a pack sharing a row's createdAt.
    records[300]!.createdAt = records[299]!.createdAt;
    const db = await mixedDb(records, (i) => (i >= 100 && i < 300) || i >= 520, 60);
    const ix = new DatasetIndex(DS);
    let steps = 0;
    while (await scanStep(db, ix)) steps++;
    expect(steps).toBeGreaterThan(3); // a chunk at a time, not the dataset at once
    expect(uuidsOf(ix)).toEqual(records.map((r) => r.uuid).sort());
    expect(await verify(db, ix)).toBe(0);
  });

  it('a catch-up sees a pack written since (an import), and a record taken out of one', async () => {
    const records = varied(120);
    const db = await mixedDb(records, (i) => i >= 60, 30);
    const ix = new DatasetIndex(DS);
    ix.watermark = Date.now();
    while (await scanStep(db, ix));
    expect(await catchUp(db, ix)).toMatchObject({ changed: 0 });

    const more = varied(40, 99).map((r) => ({ ...r, createdAt: r.createdAt + 1e6 }));
    const other = new MagpieDB(db.name);
    await storePacks(other, more);
    other.close();
    expect(await catchUp(db, ix)).toMatchObject({ changed: 40 });
    expect(uuidsOf(ix)).toEqual([...records, ...more].map((r) => r.uuid).sort());
    expect(await catchUp(db, ix)).toMatchObject({ changed: 0 });

    // Another connection edits a packed record (it leaves its pack) and deletes another.
    const again = new MagpieDB(db.name);
    const edited = records[70]!;
    await putRecord(again, { ...edited, edited: { instruction: 'Zyzzyx edited?', at: 9 } });
    await deleteStored(again, [records[90]!.uuid]);
    again.close();
    const caught = await catchUp(db, ix);
    expect(caught.changed).toBeGreaterThanOrEqual(2);
    // The index holds the edit as stored (now a row), and no longer the deleted record.
    const row = await db.records.get(edited.uuid);
    expect(row?.edited?.instruction).toBe('Zyzzyx edited?');
    expect(ix.has(edited.uuid, (row as { changedAt?: number }).changedAt)).toBe(true);
    expect(uuidsOf(ix)).toEqual(
      [...records, ...more]
        .filter((r) => r !== records[90])
        .map((r) => r.uuid)
        .sort(),
    );
  });

  it('the explorer shows an import stored packed, and edits and deletes of its records', async () => {
    const records = varied(150);
    const db = await mixedDb(records, (i) => i % 3 !== 0, 40);
    const svc = new ExplorerService();
    await svc.useDatabase(db.name);
    cleanup.unshift(() => svc.useDatabase('closed'));
    await vi.waitFor(async () => expect((await svc.query(DS, {}, SORT)).indexing).toBeUndefined());
    const all = await svc.query(DS, {}, SORT);
    expect((await svc.rows(all.queryId, 0, all.total)).map((r) => r!.uuid)).toEqual(
      expectedView(records, {}, SORT),
    );

    const [edited, deleted] = [records[4]!, records[7]!]; // both packed
    await svc.edit(DS, edited.uuid, { instruction: 'Rewritten by hand?' });
    await svc.deleteRecords(DS, [deleted.uuid]);
    const left = records.filter((r) => r !== deleted);
    const v = await svc.query(DS, { q: 'rewritten' }, SORT);
    expect((await svc.rows(v.queryId, 0, v.total)).map((r) => r!.uuid)).toEqual([edited.uuid]);
    // A fresh worker reading the store sees the same.
    const again = new ExplorerService();
    await again.useDatabase(db.name);
    cleanup.unshift(() => again.useDatabase('closed'));
    // It opens the index the first saved and catches up with the edit and the delete.
    await vi.waitFor(
      async () => {
        const w = await again.query(DS, {}, SORT);
        const rows = await again.rows(w.queryId, 0, w.total);
        expect(rows.map((r) => r?.uuid)).toEqual(expectedView(left, {}, SORT));
      },
      { timeout: 5000, interval: 100 },
    );
    const found = await again.query(DS, { q: 'rewritten' }, SORT);
    expect(found.total).toBe(1);
  });
});
