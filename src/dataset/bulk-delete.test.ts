/**
 * A bulk delete of packed records deletes the derived rows that are there and asks the
 * store to delete no other: most packed records have none (their states live in derived
 * packs), and a delete of an absent key costs IndexedDB a request like any other.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dexie, type DBCore, type Middleware } from 'dexie';
import { DerivedRowKeys, writeDerived } from '../store/derived';
import { recordTables, storePacks } from '../store/packs';
import { bulkDelete } from './actions';
import { OpenDataset } from './open-dataset';
import { DS, aliveUuids, fromOtherTab, seededDb, varied } from './test-data';

/** Keys asked to be deleted from recordDerived, at Dexie's lowest layer, on every connection. */
let derivedDeletes: string[] = [];
const counter: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'count-derived-deletes',
  create: (down) => ({
    ...down,
    table(name) {
      const table = down.table(name);
      if (name !== 'recordDerived') return table;
      return {
        ...table,
        mutate(req) {
          if (req.type === 'delete') derivedDeletes.push(...(req.keys as string[]));
          return table.mutate(req);
        },
      };
    },
  }),
};
const addon = (db: Dexie) => void db.use(counter);
beforeAll(() => void Dexie.addons.push(addon));
afterAll(() => void Dexie.addons.splice(Dexie.addons.indexOf(addon), 1));

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** 1,200 records stored as three packs, the first ten with a review status in a derived row. */
async function packedWithRows() {
  const db = await seededDb([]);
  cleanup.push(() => db.delete());
  const records = varied(1200);
  for (let i = 0; i < records.length; i += 400) await storePacks(db, records.slice(i, i + 400));
  await writeDerived(
    db,
    DS,
    records.slice(0, 10).map((r) => ({ uuid: r.uuid, fields: { review: 'kept' as const } })),
  );
  return { db, records };
}

describe('bulk delete of packed records', () => {
  it('deletes the derived rows of the records it deletes, and asks to delete no absent row', async () => {
    const { db, records } = await packedWithRows();
    const open = new OpenDataset(db, DS, () => undefined);
    cleanup.push(() => open.close());
    await open.fresh();

    // Every third record, as from a view: 0, 3, 6 and 9 of the ten with rows among them.
    const gone = records.filter((_, i) => i % 3 === 0).map((r) => r.uuid);
    derivedDeletes = [];
    expect(await bulkDelete(db, open, gone, () => undefined)).toBe(400);

    const withRows = records.slice(0, 10).map((r) => r.uuid);
    expect(derivedDeletes.sort()).toEqual(withRows.filter((_, i) => i % 3 === 0).sort());
    const left = (await db.recordDerived.bulkGet(withRows)).map((row) => row?.uuid);
    expect(left).toEqual(withRows.map((uuid, i) => (i % 3 === 0 ? undefined : uuid)));
    expect(await db.recordDeletions.bulkGet(gone)).not.toContain(undefined);
    const kept = records.filter((_, i) => i % 3 !== 0).map((r) => r.uuid);
    expect(aliveUuids(open.ix)).toEqual(kept.sort());
  });

  it('knows of rows written by another connection after it read the keys', async () => {
    const { db, records } = await packedWithRows();
    const rowKeys = await DerivedRowKeys.read(db, DS);
    const late = records[500]!.uuid;
    await fromOtherTab(db, (other) =>
      writeDerived(other, DS, [{ uuid: late, fields: { review: 'rejected' } }]),
    );
    const asked = [records[0]!.uuid, records[9]!.uuid, late, records[501]!.uuid];
    const found = await db.transaction('rw', recordTables(db), () => rowKeys.withRow(db, asked));
    expect(found).toEqual([records[0]!.uuid, records[9]!.uuid, late]);
  });
});
