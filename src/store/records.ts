/**
 * Records as stored, rows and packs alike (packs.ts): reads by uuid, counts, the newest
 * page, deletes. Callers never need to know where a record is kept.
 */
import type { PairRecord } from '../shared/record';
import {
  RANGE_DELETED,
  TOMBSTONE_DAYS,
  changeClock,
  tombstones,
  type MagpieDB,
  type StoredRecord,
} from './db';
import { deleteDerivedPacks } from './derived-packs';
import {
  byTimeThenUuid,
  datasetPacks,
  deletePacks,
  deleteRunPacks,
  packedRecords,
  packRecords,
  recordTables,
  takeFromPacks,
  type Restamped,
  type StoredByRun,
} from './packs';

/** Newest first, one page at a time: the plain list never loads a whole dataset. */
export async function recentRecords(
  db: MagpieDB,
  datasetId: string,
  limit: number,
  offset = 0,
): Promise<PairRecord[]> {
  const want = offset + limit;
  const [rows, packs] = await Promise.all([
    db.records
      .where('[datasetId+createdAt]')
      .between([datasetId, -Infinity], [datasetId, Infinity])
      .reverse()
      .limit(want)
      .toArray() as Promise<StoredRecord[]>,
    db.recordPacks
      .where('[datasetId+last]')
      .between([datasetId, -Infinity], [datasetId, Infinity])
      .reverse()
      .toArray(),
  ]);
  // Packs by their newest record, newest first, until the next cannot reach the newest `want`.
  let all = rows;
  for (const p of packs) {
    if (all.length >= want && p.last < all[want - 1]!.createdAt) break;
    const [records] = await packRecords(db, [p], want);
    all = [...all, ...records!].sort(byTimeThenUuid).reverse().slice(0, want);
  }
  return all.slice(offset, want);
}

export async function countRecords(db: MagpieDB, datasetId: string): Promise<number> {
  const [rows, packs] = await Promise.all([
    db.records.where('datasetId').equals(datasetId).count(),
    db.recordPacks.where('datasetId').equals(datasetId).toArray(),
  ]);
  return packs.reduce((n, p) => n + p.count, rows);
}

/** Records by uuid as stored, without their derived rows (undefined where none). */
export async function storedRecords(
  db: MagpieDB,
  uuids: string[],
): Promise<(StoredRecord | undefined)[]> {
  const rows = (await db.records.bulkGet(uuids)) as (StoredRecord | undefined)[];
  const missing = uuids.filter((_, i) => !rows[i]);
  if (!missing.length) return rows;
  const packed = await packedRecords(db, missing);
  return rows.map((r, i) => r ?? packed.get(uuids[i]!));
}

/** The uuids among these that the database holds, as a row or packed. */
export async function presentUuids(db: MagpieDB, uuids: string[]): Promise<Set<string>> {
  if (!uuids.length) return new Set();
  const [rows, packed] = await Promise.all([
    db.records.where(':id').anyOf(uuids).primaryKeys() as Promise<string[]>,
    db.packBodies.where('uuids').anyOf(uuids).keys() as Promise<string[]>,
  ]);
  return new Set([...rows, ...packed]);
}

/**
 * The uuids among these that the database still holds, for records that reads begun at or
 * after `since` (a reading of changeClock) found present: a record deleted after such a read
 * left a tombstone at or after it (db.ts), so only records with one are looked up. Looking up
 * every key costs about as much as writing a small value for it.
 */
export async function stillPresent(
  db: MagpieDB,
  uuids: string[],
  since: number,
): Promise<Set<string>> {
  if (since < (await changeClock(db)) - TOMBSTONE_DAYS * 86_400_000) return presentUuids(db, uuids);
  const gone = (await db.recordDeletions.where('at').aboveOrEqual(since).primaryKeys()) as string[];
  if (gone.includes(RANGE_DELETED)) return presentUuids(db, uuids);
  const out = new Set(uuids);
  const maybe = gone.filter((uuid) => out.has(uuid));
  // Deleted since, and maybe put back (an undone delete).
  const back = await presentUuids(db, maybe);
  for (const uuid of maybe) if (!back.has(uuid)) out.delete(uuid);
  return out;
}

/**
 * Stores a changed record as a row: one that was packed leaves its pack (written again
 * without it), in one transaction. Text edits and swaps go through here. Answers the pack
 * written again (takeFromPacks).
 */
export function putRecord(db: MagpieDB, record: StoredRecord): Promise<Restamped[]> {
  return db.transaction('rw', recordTables(db), async () => {
    const { restamped } = await takeFromPacks(db, [record.uuid]);
    await db.records.put(record);
    return restamped;
  });
}

/**
 * Deletes records by uuid, rows and packed alike; each leaves a tombstone and loses its
 * derived row in the same transaction (the change feed's rule for every delete). Answers
 * the packs written again around the packed ones (takeFromPacks).
 */
export function deleteStored(
  db: MagpieDB,
  uuids: string[],
  /** Packs that likely hold them (takeFromPacks). */
  likely?: readonly string[],
  /**
   * Which of the packed ones have a derived row, asked inside the transaction (every one,
   * when not given): only those rows are deleted (derived.ts DerivedRowKeys).
   */
  withRow?: (packed: string[]) => Promise<string[]>,
): Promise<Restamped[]> {
  return db.transaction('rw', recordTables(db), async () => {
    const { packed, restamped } = await takeFromPacks(db, uuids, likely);
    // A uuid is a row or packed, never both. The delete of a row leaves its traces (db.ts);
    // the packed ones get theirs here rather than a delete of a row that is not there,
    // which in a bulk delete of thousands costs more than the rest of it.
    if (packed.size) {
      await db.recordDeletions.bulkPut(tombstones(packed));
      const gone = [...packed];
      const derived = withRow ? await withRow(gone) : gone;
      if (derived.length) await db.recordDerived.bulkDelete(derived);
    }
    const rows = packed.size ? uuids.filter((u) => !packed.has(u)) : uuids;
    if (rows.length) await db.records.bulkDelete(rows);
    return restamped;
  });
}

/**
 * Deletes every record of one run (an import undone), rows and packs (whole packs at a
 * time; `stored` as deleteRunPacks takes it). Answers how many.
 */
export function deleteRunRecords(
  db: MagpieDB,
  runId: string,
  stored?: StoredByRun,
): Promise<number> {
  return db.transaction('rw', [...recordTables(db), db.datasets], async () => {
    const rows = await db.records.where('runId').equals(runId).delete();
    return rows + (await deleteRunPacks(db, runId, stored));
  });
}

/** Deletes every record of a dataset, rows and packs, with their derived rows. */
export async function deleteDatasetRecords(db: MagpieDB, datasetId: string): Promise<void> {
  await db.transaction('rw', recordTables(db), async () => {
    await db.records.where('datasetId').equals(datasetId).delete();
    await deletePacks(db, await datasetPacks(db, datasetId));
    await deleteDerivedPacks(db, datasetId);
  });
}

/**
 * A dataset's records written since `since` (by change stamp), rows and packs' records,
 * for a reader that follows a dataset by its change feed (the topic map's placing).
 */
export async function recordsChangedSince(
  db: MagpieDB,
  datasetId: string,
  since: number,
): Promise<StoredRecord[]> {
  const range = [
    [datasetId, since],
    [datasetId, Infinity],
  ] as const;
  const [rows, packs] = await Promise.all([
    db.records
      .where('[datasetId+changedAt]')
      .between(...range, true, true)
      .toArray(),
    db.recordPacks
      .where('[datasetId+changedAt]')
      .between(...range, true, true)
      .toArray(),
  ]);
  return [...(rows as StoredRecord[]), ...(await packRecords(db, packs)).flat()];
}

/** Every record the database holds, rows and packed, as stored (for tests and checks). */
export async function allStored(db: MagpieDB): Promise<StoredRecord[]> {
  const rows = (await db.records.toArray()) as StoredRecord[];
  const packs = await db.recordPacks.toArray();
  return [...rows, ...(await packRecords(db, packs)).flat()];
}
