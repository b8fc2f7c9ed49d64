/**
 * Keeps a DatasetIndex equal to the records in IndexedDB, reading as little as it can:
 *
 * - the first full read goes newest first, in chunks, so the table fills from the top and
 *   stays still while older records arrive below (reading is the slow part: ~0.1 ms a record);
 * - after that, only records whose `changedAt` stamp (set by the store on every write) is
 *   newer than the watermark, found from the [datasetId+changedAt] index keys alone, and
 *   records whose tombstone (left by the store on every delete) is newer;
 * - all keys are compared only when a delete by range left no uuids, or the tombstones
 *   from the watermark on may have been pruned (never count: 300,000 keys take seconds).
 */
import { RANGE_DELETED, type MagpieDB, type StoredRecord } from '../store/db';
import type { DatasetIndex } from './dataset-index';

/** A write is stamped when made and seen when committed; this covers the longest gap. */
export const CATCH_UP_MARGIN_MS = 30_000;
/** Tombstones older than this are pruned; an index saved before then compares all keys. */
export const TOMBSTONE_DAYS = 30;
const SCAN_CHUNK = 500;
const READ_CHUNK = 500;

/** Applies a record read from the store, unless the index already has a newer write of it. */
export function applyRead(ix: DatasetIndex, record: StoredRecord): boolean {
  const ord = ix.cols.ordOf(record.uuid);
  if (ord !== undefined) {
    const known = ix.cols.changedAt[ord]!;
    const seen = record.changedAt ?? NaN;
    if (Object.is(known, seen) || known > seen) return false;
  }
  ix.upsert(record);
  return true;
}

/** Reads the next chunk of the first full read; false when it is done. */
export async function scanStep(db: MagpieDB, ix: DatasetIndex): Promise<boolean> {
  if (ix.scanBefore === null) return false;
  const ds = ix.datasetId;
  const rows = (await db.records
    .where('[datasetId+createdAt]')
    .between([ds, -Infinity], [ds, ix.scanBefore], true, true)
    .reverse()
    .limit(SCAN_CHUNK)
    .toArray()) as StoredRecord[];
  for (const r of rows) applyRead(ix, r);
  if (rows.length < SCAN_CHUNK) {
    ix.scanBefore = null;
    return false;
  }
  const last = rows[rows.length - 1]!.createdAt;
  if (rows[0]!.createdAt === last) {
    // A whole chunk made in one millisecond: take that millisecond at once, then go below.
    const same = (await db.records
      .where('[datasetId+createdAt]')
      .equals([ds, last])
      .toArray()) as StoredRecord[];
    for (const r of same) applyRead(ix, r);
    ix.scanBefore = below(last);
  } else {
    // Inclusive: the rest of `last`'s millisecond may be in the next chunk (seen ones are skipped).
    ix.scanBefore = last;
  }
  return true;
}

/**
 * Reads the records changed or deleted since the watermark. Answers how many changed, and
 * whether a delete by range means all keys must be compared (verify).
 */
export async function catchUp(
  db: MagpieDB,
  ix: DatasetIndex,
): Promise<{ changed: number; verify: boolean }> {
  const started = Date.now();
  const ds = ix.datasetId;
  const since = ix.watermark - CATCH_UP_MARGIN_MS;
  const stale: string[] = [];
  await db.records
    .where('[datasetId+changedAt]')
    .between([ds, since], [ds, Infinity], true, true)
    .eachKey((key, cursor) => {
      const uuid = cursor.primaryKey as string;
      if (!ix.has(uuid, (key as [string, number])[1])) stale.push(uuid);
    });
  let verify = since < started - TOMBSTONE_DAYS * 86_400_000;
  const deleted = await db.recordDeletions.where('at').aboveOrEqual(since).toArray();
  for (const d of deleted) {
    if (d.uuid === RANGE_DELETED) verify = true;
    else if (ix.cols.ordOf(d.uuid) !== undefined) stale.push(d.uuid); // gone, or deleted and put back
  }
  const changed = await readInto(db, ix, stale);
  ix.watermark = started;
  return { changed, verify };
}

/** Compares every key with the store: finds what a delete by range removed. Slow; rare. */
export async function verify(db: MagpieDB, ix: DatasetIndex): Promise<number> {
  const keys = (await db.records.where('datasetId').equals(ix.datasetId).primaryKeys()) as string[];
  const present = new Set(keys);
  let changed = 0;
  const { cols } = ix;
  for (let o = 0; o < cols.n; o++)
    if (cols.alive[o] && !present.has(cols.uuids[o]!) && ix.remove(cols.uuids[o]!)) changed++;
  changed += await readInto(
    db,
    ix,
    keys.filter((k) => cols.ordOf(k) === undefined),
  );
  return changed;
}

async function readInto(db: MagpieDB, ix: DatasetIndex, uuids: string[]): Promise<number> {
  let changed = 0;
  for (let i = 0; i < uuids.length; i += READ_CHUNK) {
    const chunk = uuids.slice(i, i + READ_CHUNK);
    const records = (await db.records.bulkGet(chunk)) as (StoredRecord | undefined)[];
    records.forEach((r, k) => {
      if (r && r.datasetId === ix.datasetId) {
        if (applyRead(ix, r)) changed++;
      } else if (ix.remove(chunk[k]!)) changed++;
    });
  }
  return changed;
}

/** The largest double below x: an exclusive upper bound for an inclusive range. */
function below(x: number): number {
  if (!Number.isFinite(x)) return x === Infinity ? Number.MAX_VALUE : x;
  if (x === 0) return -Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0]! += x > 0 ? -1n : 1n;
  return f[0]!;
}
