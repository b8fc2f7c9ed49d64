/**
 * A catch-up costs what changed since the last one, not the dataset nor a window of recent
 * writes: keys and values handed out by the change tables are counted where they leave
 * the store (queries and cursors at Dexie's lowest layer, on every connection), and must
 * not exceed what changed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countOnEveryConnection } from '../test-support/store-reads';
import { writeDerived } from '../store/derived';
import { storePacks } from '../store/packs';
import { deleteStored, putRecord } from '../store/records';
import { DatasetIndex } from './dataset-index';
import { IndexBuilder } from './index-builder';
import { bulkDelete } from './actions';
import { OpenDataset } from './open-dataset';
import { catchUp, scanStep } from './sync';
import { DS, aliveUuids, fromOtherTab, reviewOf, seededDb, varied } from './test-data';

/** Index keys and rows handed out by the tables a catch-up walks, while counting is on. */
const TABLES = new Set(['records', 'recordDerived', 'recordPacks', 'recordDeletions']);
let counting = false;
let handed = 0;
/** Cursor steps over the records table: each a request of its own. */
let recordSteps = 0;
/** Pack bodies read: each a pack's records parsed. */
let bodiesRead = 0;
let stopCounting: () => void;
beforeAll(() => {
  stopCounting = countOnEveryConnection((read) => {
    if (counting && read.table === 'packBodies' && 'found' in read)
      bodiesRead += read.found.filter(Boolean).length;
    if (!counting || !TABLES.has(read.table)) return;
    if (read.kind === 'range') handed += read.result.length;
    if (read.kind === 'step') {
      handed++;
      if (read.table === 'records') recordSteps++;
    }
  });
});
afterAll(() => stopCounting());

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  counting = false;
  for (const c of cleanup.splice(0)) await c();
});

/** Keys and rows the catch-up walks; what it read is checked by the caller. */
async function walked<T>(work: () => Promise<T>): Promise<{ handed: number; result: T }> {
  handed = 0;
  recordSteps = 0;
  bodiesRead = 0;
  counting = true;
  try {
    const result = await work();
    return { handed, result };
  } finally {
    counting = false;
  }
}

/**
 * A catch-up walks from the millisecond it began, inclusive: writes stamped in that same
 * millisecond just before it are walked again by the next one. Tests that count exactly
 * let a millisecond pass between writes and the catch-up after them.
 */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A dataset of these records and its index, read whole and caught up once. */
async function caughtUp(records: Parameters<typeof seededDb>[0]) {
  const db = await seededDb(records);
  cleanup.push(() => db.delete());
  const ix = new DatasetIndex(DS);
  while (await scanStep(db, ix));
  await tick();
  await catchUp(db, ix);
  return { db, ix };
}

describe('a catch-up walks what changed since the last one', () => {
  it('after a large write, the next catch-up walks only the new keys (rows, packs, derived, deletes)', async () => {
    const records = varied(300);
    const { db, ix } = await caughtUp(records);

    // A large write from another tab, caught up: a review of every record, 200 new ones.
    const more = varied(200, 11).map((r) => ({ ...r, createdAt: r.createdAt + 1e6 }));
    await fromOtherTab(db, async (other) => {
      await writeDerived(
        other,
        DS,
        records.map((r) => ({ uuid: r.uuid, fields: { review: 'kept' } })),
      );
      await other.records.bulkAdd(more);
    });
    await tick();
    expect((await catchUp(db, ix)).changed).toBe(500);

    // Then a few changes of every kind, moments later (well inside any margin of time).
    const few = varied(5, 23).map((r) => ({ ...r, createdAt: r.createdAt + 2e6 }));
    const packed = varied(7, 29).map((r) => ({ ...r, createdAt: r.createdAt + 3e6 }));
    const edited = { ...more[0]!, instruction: 'An edited instruction about zyzzyva' };
    await fromOtherTab(db, async (other) => {
      await other.records.bulkAdd(few);
      await storePacks(other, packed);
      await putRecord(other, edited);
      await deleteStored(other, [records[1]!.uuid, more[1]!.uuid]);
      await writeDerived(other, DS, [
        { uuid: records[2]!.uuid, fields: { review: 'rejected' } },
        { uuid: records[3]!.uuid, fields: { review: 'rejected' } },
      ]);
    });
    await tick();
    const { handed, result } = await walked(() => catchUp(db, ix));
    // 5 rows + 1 edit, 1 pack, 2 tombstones, 2 derived rows: each key walked once (the
    // changed records are then read by key).
    expect(handed).toBe(5 + 1 + 1 + 2 + 2);
    expect(result.changed).toBe(5 + 7 + 1 + 2 + 2);
    const present = [...records, ...more, ...few, ...packed]
      .map((r) => r.uuid)
      .filter((u) => u !== records[1]!.uuid && u !== more[1]!.uuid);
    expect(aliveUuids(ix)).toEqual(present.sort());
    expect(reviewOf(ix, records[2]!.uuid)).toBe('rejected');
    expect(reviewOf(ix, records[4]!.uuid)).toBe('kept');

    // Nothing since: nothing walked.
    expect((await walked(() => catchUp(db, ix))).handed).toBe(0);
  });

  it('finds the records written since in one request, not a step per key', async () => {
    const records = varied(100);
    const { db, ix } = await caughtUp(records);
    const more = varied(200, 13).map((r) => ({ ...r, createdAt: r.createdAt + 1e6 }));
    await fromOtherTab(db, (other) => other.records.bulkAdd(more));
    await tick();
    const { handed, result } = await walked(() => catchUp(db, ix));
    expect(result.changed).toBe(200);
    expect(handed).toBe(200);
    expect(recordSteps).toBe(0);
    expect(aliveUuids(ix)).toEqual([...records, ...more].map((r) => r.uuid).sort());
  });

  it('a saved index is caught up from its watermark when opened again; one saved before watermarks were exact looks back a margin', async () => {
    const records = varied(300);
    const db = await seededDb(records);
    cleanup.push(() => db.delete());
    const reopen = async () => {
      const open = new OpenDataset(db, DS, () => undefined);
      cleanup.push(() => open.close());
      const { handed } = await walked(() => open.fresh());
      expect(aliveUuids(open.ix)).toEqual(records.map((r) => r.uuid).sort());
      await open.close(); // saved again
      return handed;
    };
    const first = new OpenDataset(db, DS, () => undefined);
    await first.fresh();
    await first.close(); // saved, moments after every record was written
    await tick();

    // Nothing walked but the newest record's key, read before each catch-up (on loading,
    // after its first read) and by fresh(); the 300 records were written inside the margin.
    expect(await reopen()).toBe(3);

    // Saved by an older release: no exactWatermark, so the records of the last 30 s are walked.
    const { exactWatermark: _, ...older } = (await db.explorerSnapshots.get(DS))!;
    await db.explorerSnapshots.put(older);
    expect(await reopen()).toBeGreaterThanOrEqual(300);
  });

  it("an import's saved index is opened without reading the import's last packs again", async () => {
    const db = await seededDb([]);
    cleanup.push(() => db.delete());
    // As the import job stores a new dataset: packs, each batch into the index as stored.
    const records = varied(2500);
    const builder = new IndexBuilder(DS);
    for (let i = 0; i < records.length; i += 1000) {
      const batch = records.slice(i, i + 1000);
      await storePacks(db, batch);
      builder.add(batch);
    }
    await builder.save(db);
    await tick();
    const open = new OpenDataset(db, DS, () => undefined);
    cleanup.push(() => open.close());
    const { handed } = await walked(() => open.fresh());
    // The newest pack's key, read before each catch-up and by fresh(): no pack walked, none read.
    expect(handed).toBe(3);
    expect(aliveUuids(open.ix)).toEqual(records.map((r) => r.uuid).sort());
  });

  it('a bulk delete takes in the new stamps of the packs it wrote again: the catch-up after it reads none of their records back', async () => {
    const db = await seededDb([]);
    cleanup.push(() => db.delete());
    const records = varied(1200);
    for (let i = 0; i < records.length; i += 400) await storePacks(db, records.slice(i, i + 400));
    await tick();
    const open = new OpenDataset(db, DS, () => undefined);
    cleanup.push(() => open.close());
    await open.fresh();

    // Every third record, as from a view: each pack is written again without them.
    const gone = new Set(records.filter((_, i) => i % 3 === 0).map((r) => r.uuid));
    await bulkDelete(db, open, [...gone], () => undefined);
    await tick();
    const { result } = await walked(() => catchUp(db, open.ix));
    expect(bodiesRead).toBe(0);
    expect(result.changed).toBe(0);
    const left = records.filter((r) => !gone.has(r.uuid)).map((r) => r.uuid);
    expect(aliveUuids(open.ix)).toEqual(left.sort());
    // Another connection's delete still makes the catch-up read its pack again.
    await fromOtherTab(db, (other) => deleteStored(other, [left[0]!]));
    await tick();
    await walked(() => catchUp(db, open.ix));
    expect(bodiesRead).toBe(1);
    expect(aliveUuids(open.ix)).toEqual(left.slice(1));
  });

  it('derived rows the dataset worker wrote itself are not walked back, unless written again since', async () => {
    const records = varied(250);
    const db = await seededDb(records);
    cleanup.push(() => db.delete());
    await tick();
    const open = new OpenDataset(db, DS, () => undefined);
    cleanup.push(() => open.close());
    await open.fresh();

    // Own writes (as the near-duplicate pass writes its values), in two transactions.
    for (const part of [records.slice(0, 150), records.slice(150)]) {
      const rows = await writeDerived(
        db,
        DS,
        part.map((r) => ({ uuid: r.uuid, fields: { review: 'kept' } })),
      );
      await open.applyDerived(rows);
    }
    // Another tab, meanwhile: three new records and one own row written again.
    const few = varied(3, 31).map((r) => ({ ...r, createdAt: r.createdAt + 1e6 }));
    await fromOtherTab(db, async (other) => {
      await other.records.bulkAdd(few);
      await writeDerived(other, DS, [{ uuid: records[160]!.uuid, fields: { review: 'rejected' } }]);
    });
    const { handed } = await walked(() => open.fresh());
    // Own writes are not walked (the row written again carries the other tab's stamp): the
    // row written again, the 3 new records' keys and the records read; and fresh()'s four
    // newest-key reads. None of the 250 own rows.
    expect(handed).toBeLessThanOrEqual(1 + 3 * 2 + 4);
    const ix = open.ix;
    expect(aliveUuids(ix)).toEqual([...records, ...few].map((r) => r.uuid).sort());
    expect(reviewOf(ix, records[160]!.uuid)).toBe('rejected');
    expect(reviewOf(ix, records[0]!.uuid)).toBe('kept');
    expect(reviewOf(ix, records[249]!.uuid)).toBe('kept');
  });
});
