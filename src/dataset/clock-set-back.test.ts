/**
 * The wall clock set back (an NTP correction, a user changing the time) after the dataset
 * index caught up: every write made since, from this tab, another tab or a later session,
 * is still caught up from the watermark, never only by reading the dataset in full again.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MagpieDB, changeClock } from '../store/db';
import { countOnEveryConnection } from '../test-support/store-reads';
import { getRecords, writeDerived } from '../store/derived';
import { storePacks } from '../store/packs';
import { deleteStored, putRecord } from '../store/records';
import { DatasetIndex } from './dataset-index';
import { OpenDataset } from './open-dataset';
import { catchUp, scanStep } from './sync';
import { DS, aliveUuids, fromOtherTab, reviewOf, seededDb, varied } from './test-data';

const HOUR = 3_600_000;

/** Keys and rows handed out by the change tables while counting is on (as catch-up-keys.test.ts counts). */
const CHANGE_TABLES = new Set(['records', 'recordDerived', 'recordPacks', 'recordDeletions']);
let counting = false;
let handed = 0;
let stopCounting: () => void;
beforeAll(() => {
  stopCounting = countOnEveryConnection((read) => {
    if (!counting || !CHANGE_TABLES.has(read.table)) return;
    if (read.kind === 'range') handed += read.result.length;
    if (read.kind === 'step') handed++;
  });
});
afterAll(() => stopCounting());
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  counting = false;
  for (const c of cleanup.splice(0)) await c();
});

/** The wall clock from now on reads `ms` earlier than it does now (and stands still). */
function setClockBack(ms: number) {
  const now = Date.now();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now - ms);
}

const instructionOf = (ix: DatasetIndex, uuid: string) =>
  ix.cols.sortText.instruction[ix.cols.ordOf(uuid)!];

describe('a wall clock set back', () => {
  it('writes of every kind made after it are caught up from the watermark', async () => {
    const records = varied(60);
    const db = await seededDb(records);
    cleanup.push(() => db.delete());
    const ix = new DatasetIndex(DS);
    while (await scanStep(db, ix));
    await catchUp(db, ix);
    const watermark = ix.watermark;

    setClockBack(HOUR);
    const more = varied(5, 23).map((r) => ({ ...r, createdAt: r.createdAt + 1e6 }));
    const packed = varied(7, 29).map((r) => ({ ...r, createdAt: r.createdAt + 2e6 }));
    const edited = { ...records[0]!, instruction: 'zyzzyva, edited after the clock went back' };
    await fromOtherTab(db, async (other) => {
      await other.records.bulkAdd(more);
      await storePacks(other, packed);
      await putRecord(other, edited);
      await deleteStored(other, [records[1]!.uuid]);
      await writeDerived(other, DS, [{ uuid: records[2]!.uuid, fields: { review: 'rejected' } }]);
    });
    // Every stamp and tombstone of them at or above the watermark, though the wall clock is an hour behind it.
    const stamps = [
      ...(
        await getRecords(
          db,
          more.map((r) => r.uuid),
        )
      ).map((r) => r!.changedAt!),
      ...(await db.recordPacks.toArray()).map((p) => p.changedAt!),
      (await db.recordDeletions.get(records[1]!.uuid))!.at,
    ];
    expect(Math.min(...stamps)).toBeGreaterThanOrEqual(watermark);
    expect(Date.now()).toBeLessThan(watermark);

    const { changed, verify } = await catchUp(db, ix);
    expect(verify).toBe(false);
    expect(changed).toBe(5 + 7 + 1 + 1 + 1);
    const present = [...records, ...more, ...packed]
      .map((r) => r.uuid)
      .filter((u) => u !== records[1]!.uuid);
    expect(aliveUuids(ix)).toEqual(present.sort());
    expect(reviewOf(ix, records[2]!.uuid)).toBe('rejected');
    expect(instructionOf(ix, records[0]!.uuid)).toContain('zyzzyva');
    expect(ix.watermark).toBeGreaterThan(watermark);

    // Set back again: a record written twice after it, the second write wins.
    setClockBack(HOUR);
    const once = { ...records[3]!, instruction: 'zyzzyva once' };
    await putRecord(db, once);
    await catchUp(db, ix);
    await putRecord(db, { ...once, instruction: 'zyzzyva twice' });
    expect((await catchUp(db, ix)).changed).toBe(1);
    expect(instructionOf(ix, records[3]!.uuid)).toContain('zyzzyva twice');
  });

  it('a saved index opened in a later session, with the clock set back between, catches up the writes of that session and walks only them', async () => {
    const records = varied(40);
    const db = await seededDb(records);
    cleanup.push(() => db.delete());
    const first = new OpenDataset(db, DS, () => undefined);
    await first.fresh();
    await first.close(); // saved, with its watermark
    const saved = (await db.explorerSnapshots.get(DS))!.watermark;
    db.close();

    // The next session starts with the clock set back, writes, and only then opens the dataset.
    setClockBack(2 * HOUR);
    const session = new MagpieDB(db.name);
    cleanup.push(async () => session.close());
    expect(await changeClock(session)).toBeGreaterThanOrEqual(saved);
    const more = varied(3, 41).map((r) => ({ ...r, createdAt: r.createdAt + 1e6 }));
    await session.records.bulkAdd(more);
    await writeDerived(session, DS, [{ uuid: records[5]!.uuid, fields: { review: 'kept' } }]);
    await deleteStored(session, [records[6]!.uuid]);

    const open = new OpenDataset(session, DS, () => undefined);
    cleanup.push(() => open.close());
    handed = 0;
    counting = true;
    const ix = await open.fresh();
    counting = false;
    // The changed keys and a few newest-stamp reads, not every record stamped in the hours
    // between the wall clock now and the saved watermark.
    expect(handed).toBeLessThan(records.length / 2);
    expect(aliveUuids(ix)).toEqual(
      [...records, ...more]
        .map((r) => r.uuid)
        .filter((u) => u !== records[6]!.uuid)
        .sort(),
    );
    expect(reviewOf(ix, records[5]!.uuid)).toBe('kept');
  });
});
