import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { freshDatabases } from '../test-support/fresh-db';
import { pair } from '../test-support/fixtures';
import { SCHEMA_V8, type MagpieDB, type StoredRecord } from './db';
import {
  DatasetDerived,
  getRecords,
  withDerived,
  writeDerived,
  writeDerivedChunks,
  type PackedChange,
} from './derived';
import type { AppNearDup } from './derived-row';
import { deleteDataset } from './datasets';
import { recordChunks } from './record-chunks';
import { deleteStored } from './records';

const openDb = freshDatabases('derived-packs');

const DS = 'ds';

async function seeded(db: MagpieDB, n: number): Promise<StoredRecord[]> {
  await db.datasets.add({ id: DS, name: 'packed', createdAt: 1 });
  const records = Array.from({ length: n }, (_, i) => pair(DS, 'run', { createdAt: 1000 + i }));
  await db.records.bulkAdd(records);
  return records;
}

/** A pass's values for each record: its own uuid, distance and count from its place. */
function passChanges(records: StoredRecord[], method: 'text' | 'semantic' = 'text') {
  return records.map((r, i): PackedChange & { nearDup: AppNearDup } => ({
    uuid: r.uuid,
    recordAt: r.createdAt,
    nearDup: {
      min_neighbor_distance: (i % 7) / 10,
      repeat_count: i % 3,
      min_similar_uuid: i % 2 ? records[0]!.uuid : r.uuid,
      method,
    },
  }));
}

/** Writes the changes as a pass does: as packs, whatever their number. */
const writePass = (db: MagpieDB, changes: PackedChange[]) =>
  writeDerivedChunks(db, DS, changes, undefined, undefined, 0);

async function readAll(db: MagpieDB, from = -Infinity) {
  const out = [];
  for await (const chunk of recordChunks(db, DS, 1000, from)) out.push(...chunk);
  return out;
}

describe('derived packs', () => {
  it('a pass over thousands of records stores their values in a pack per 2,000 entries and no rows, and every reader sees them', async () => {
    const db = openDb();
    const records = await seeded(db, 2100);
    const changes = passChanges(records);
    await writePass(db, changes);

    expect(await db.recordDerived.count()).toBe(0);
    expect(await db.derivedPacks.count()).toBe(2);

    const expected = (i: number) => ({
      uuid: records[i]!.uuid,
      min_neighbor_distance: changes[i]!.nearDup.min_neighbor_distance,
      repeat_count: changes[i]!.nearDup.repeat_count,
      min_similar_uuid: changes[i]!.nearDup.min_similar_uuid,
      nearDupMethod: 'text',
    });
    const whole = await readAll(db);
    expect(whole).toHaveLength(2100);
    whole.forEach((r, i) => expect(r).toMatchObject(expected(i)));
    expect(whole[0]!.derivedAt).toBeGreaterThan(0);
    // From a time on (a catch-up's read), by uuid (the detail view), a chunk at a time.
    const later = await readAll(db, records[1900]!.createdAt);
    expect(later).toHaveLength(200);
    later.forEach((r, i) => expect(r).toMatchObject(expected(1900 + i)));
    const [one, two] = await getRecords(db, [records[17]!.uuid, records[2022]!.uuid]);
    expect(one).toMatchObject(expected(17));
    expect(two).toMatchObject(expected(2022));
    const some = await withDerived(db, [records[3]!, records[2099]!]);
    expect(some[0]).toMatchObject(expected(3));
    expect(some[1]).toMatchObject(expected(2099));
    const all = (await DatasetDerived.read(db, DS)).assemble(records);
    all.forEach((r, i) => expect(r).toMatchObject(expected(i)));
  });

  it('the newer of row and pack entry is the state: a review after the pack keeps its values, a pack after a review keeps the review', async () => {
    const db = openDb();
    const records = await seeded(db, 10);
    const [a, b] = records;
    await writeDerived(db, DS, [{ uuid: b!.uuid, fields: { review: 'rejected' } }]);
    const first = passChanges(records);
    await writePass(db, first);
    await writeDerived(db, DS, [{ uuid: a!.uuid, fields: { review: 'kept' } }]);

    const [readA, readB] = await getRecords(db, [a!.uuid, b!.uuid]);
    expect(readA).toMatchObject({
      review: 'kept',
      min_neighbor_distance: first[0]!.nearDup.min_neighbor_distance,
      nearDupMethod: 'text',
    });
    expect(readB).toMatchObject({
      review: 'rejected',
      min_neighbor_distance: first[1]!.nearDup.min_neighbor_distance,
    });

    // A second pass (another method) replaces the values and keeps both reviews.
    const second = passChanges(records, 'semantic').map((c) => ({
      ...c,
      nearDup: { ...c.nearDup, repeat_count: 9 },
    }));
    await writePass(db, second);
    const again = await readAll(db);
    expect(again[0]).toMatchObject({ review: 'kept', repeat_count: 9, nearDupMethod: 'semantic' });
    expect(again[1]).toMatchObject({ review: 'rejected', repeat_count: 9 });
    expect(again.slice(2).every((r) => r.review === 'unreviewed' && r.repeat_count === 9)).toBe(
      true,
    );
    // Every entry of the first pack is held by the second: it went.
    expect(await db.derivedPacks.count()).toBe(1);
  });

  it("a pack entry holds only for the record it was written about: the uuid deleted and stored again reads without the old record's values", async () => {
    const db = openDb();
    const records = await seeded(db, 5);
    await writePass(db, passChanges(records));
    const gone = records[2]!;
    await deleteStored(db, [gone.uuid]);
    const again = { ...pair(DS, 'run2', { createdAt: 5000 }), uuid: gone.uuid };
    await db.records.add(again);

    const [read] = await getRecords(db, [gone.uuid]);
    expect(read).toMatchObject({ uuid: gone.uuid, instruction: again.instruction });
    expect(read!.min_neighbor_distance).toBeUndefined();
    expect(read!.nearDupMethod).toBeUndefined();
    const whole = await readAll(db);
    expect(whole.find((r) => r.uuid === gone.uuid)!.repeat_count).toBeUndefined();
  });

  it('deleting a dataset deletes its derived packs', async () => {
    const db = openDb();
    const records = await seeded(db, 3);
    await writePass(db, passChanges(records));
    await db.datasets.add({ id: 'other', name: 'other', createdAt: 2 });
    const others = [pair('other', 'run', { createdAt: 7 })];
    await db.records.bulkAdd(others);
    await writeDerivedChunks(db, 'other', passChanges(others), undefined, undefined, 0);

    await deleteDataset(db, DS);
    expect((await db.derivedPacks.toArray()).map((p) => p.datasetId)).toEqual(['other']);
  });

  it('a database of the release before (v8, derived rows only) opens under v9 with nothing lost', async () => {
    const name = `derived-packs-${crypto.randomUUID()}`;
    const v8 = new Dexie(name);
    v8.version(8).stores(SCHEMA_V8);
    const record = pair(DS, 'run', { createdAt: 1 });
    await v8.table('datasets').add({ id: DS, name: 'old', createdAt: 1 });
    await v8.table('records').add({ ...record, changedAt: 10 });
    await v8.table('recordDerived').add({
      uuid: record.uuid,
      datasetId: DS,
      changedAt: 11,
      fields: { review: 'kept' },
      nearDup: {
        min_neighbor_distance: 0.25,
        repeat_count: 1,
        min_similar_uuid: 'x',
        method: 'text',
      },
    });
    await v8.table('changeClock').add({ id: 'stamps', at: 20 });
    v8.close();

    const db = openDb(name);
    const [read] = await getRecords(db, [record.uuid]);
    expect(read).toMatchObject({
      uuid: record.uuid,
      review: 'kept',
      min_neighbor_distance: 0.25,
      repeat_count: 1,
      min_similar_uuid: 'x',
      nearDupMethod: 'text',
    });
    expect(db.verno).toBe(9);
    // Its next pass writes a pack over the row: the review stays, the values are the pack's.
    await writePass(db, passChanges([record]));
    const [after] = await getRecords(db, [record.uuid]);
    expect(after).toMatchObject({ review: 'kept', min_neighbor_distance: 0, repeat_count: 0 });
    expect(after!.min_similar_uuid).toBe(record.uuid);
  });
});
