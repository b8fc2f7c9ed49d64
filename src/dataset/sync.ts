/**
 * Keeps a DatasetIndex equal to the records in IndexedDB, reading as little as it can:
 *
 * - the first full read goes newest first, in chunks, so the table fills from the top and
 *   stays still while older records arrive below (reading is the slow part: ~0.1 ms a record);
 * - after that, only records whose `changedAt` stamp (set by the store on every write) is
 *   at or after the watermark, found from the [datasetId+changedAt] index keys alone, and
 *   records whose tombstone (left by the store on every delete) is;
 * - derived rows (review, tags, near-duplicates: store/derived.ts) and derived packs changed
 *   since then, found the same way in their own tables and applied to the columns from
 *   those small values alone;
 * - all keys are compared only when a delete by range left no uuids, or the tombstones
 *   from the watermark on may have been pruned (never count: 300,000 keys take seconds).
 *
 * The watermark is exact and comes from the store's change clock, not the wall clock: the
 * store stamps a write from that clock once its transaction runs (db.ts), and IndexedDB
 * runs a read opened before a write to the same table first, so a write that a catch-up's
 * reads did not see was stamped at or above the clock as the catch-up read it when it
 * began, even if the wall clock was set back meanwhile. A catch-up's cost is
 * what changed since the last one began, never the dataset nor a window of recent writes;
 * rows this index wrote itself (ownDerived) are not even walked.
 */
import {
  RANGE_DELETED,
  TOMBSTONE_DAYS,
  changeClock,
  type MagpieDB,
  type StoredRecord,
} from '../store/db';
import {
  derivedPatch,
  getRecords,
  type DerivedPatch,
  nearDupSource,
  withDerived,
  type AssembledRecord,
  type RecordDerived,
} from '../store/derived';
import { PackedStates } from '../store/derived-packs';
import type { DerivedPack } from '../store/derived-row';
import { packRecords } from '../store/packs';
import type { DatasetIndex } from './dataset-index';

/**
 * A saved index's watermark may come from a release that stamped writes before they ran
 * (a catch-up could miss a write in flight): its first catch-up looks this far before it,
 * unless the save says its watermark is exact (persist.ts).
 */
export const CATCH_UP_MARGIN_MS = 30_000;
const SCAN_CHUNK = 500;
const READ_CHUNK = 500;
const PACKS_AT_ONCE = 4;

/**
 * Applies a record read from the store (assembled), unless the index already has this
 * write of the record and of its derived row, or newer ones.
 */
export function applyRead(ix: DatasetIndex, record: AssembledRecord): boolean {
  const ord = ix.cols.ordOf(record.uuid);
  if (ord !== undefined) {
    const known = ix.cols.changedAt[ord]!;
    const seen = record.changedAt ?? NaN;
    const derived = record.derivedAt;
    if (
      (Object.is(known, seen) || known > seen) &&
      (derived === undefined || ix.cols.derivedAt[ord]! >= derived)
    )
      return false;
  }
  ix.upsert(record);
  return true;
}

/** Records read from the store, overlaid with their derived rows. */
const assembled = (db: MagpieDB, rows: StoredRecord[]) => withDerived(db, rows);

/**
 * Reads the next chunk of the first full read; false when it is done. Rows come a chunk at
 * a time and packs (store/packs.ts) one at a time, newest first by where they start: a step
 * reads down to the newer of the two bounds, so the table still fills from the top.
 */
export async function scanStep(db: MagpieDB, ix: DatasetIndex): Promise<boolean> {
  if (ix.scanBefore === null) return false;
  const ds = ix.datasetId;
  const before = ix.scanBefore;
  const [rows, [pack]] = await Promise.all([
    db.records
      .where('[datasetId+createdAt]')
      .between([ds, -Infinity], [ds, before], true, true)
      .reverse()
      .limit(SCAN_CHUNK)
      .toArray() as Promise<StoredRecord[]>,
    db.recordPacks
      .where('[datasetId+first]')
      .between([ds, -Infinity], [ds, before], true, true)
      .reverse()
      .limit(1)
      .toArray(),
  ]);
  const rowsFull = rows.length === SCAN_CHUNK;
  const rowBound = rowsFull ? rows[rows.length - 1]!.createdAt : -Infinity;
  if (pack && pack.first > rowBound) {
    // Every row down to the pack's start was read with this chunk; the packs starting there too.
    const packs = await db.recordPacks
      .where('[datasetId+first]')
      .between([ds, pack.first], [ds, before], true, true)
      .toArray();
    const fresh = rows.filter((r) => r.createdAt >= pack.first);
    for (const records of await packRecords(db, packs)) fresh.push(...records);
    for (const r of await assembled(db, fresh)) applyRead(ix, r);
    ix.scanBefore = below(pack.first);
    return true;
  }
  for (const r of await assembled(db, rows)) applyRead(ix, r);
  if (!rowsFull) {
    ix.scanBefore = null;
    return false;
  }
  const last = rowBound;
  if (rows[0]!.createdAt === last) {
    // A whole chunk made in one millisecond: take that millisecond at once, then go below.
    const same = (await db.records
      .where('[datasetId+createdAt]')
      .equals([ds, last])
      .toArray()) as StoredRecord[];
    const packs = await db.recordPacks.where('[datasetId+first]').equals([ds, last]).toArray();
    for (const records of await packRecords(db, packs)) same.push(...records);
    for (const r of await assembled(db, same)) applyRead(ix, r);
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
  // Before any read is opened: a write these reads miss runs after them, stamped at or above this.
  const started = await changeClock(db);
  const ds = ix.datasetId;
  const since = ix.watermark;
  // Keys alone (uuid and stamp): what changed since, unless the index has it already;
  // stamps in `skip` are left out (each an own write the index holds).
  const changedSince = async (
    table: MagpieDB['recordDerived'],
    known: (uuid: string, stamp: number) => boolean,
    skip: number[] = [],
  ) => {
    const out: string[] = [];
    const bounds = [since, ...skip.flatMap((s) => [below(s), above(s)]), Infinity];
    const ranges: [[string, number], [string, number]][] = [];
    for (let i = 0; i < bounds.length; i += 2)
      if (bounds[i]! <= bounds[i + 1]!)
        ranges.push([
          [ds, bounds[i]!],
          [ds, bounds[i + 1]!],
        ]);
    const where = table.where('[datasetId+changedAt]');
    const keys =
      ranges.length === 1
        ? where.between(ranges[0]![0], ranges[0]![1], true, true)
        : where.inAnyRange(ranges, { includeLowers: true, includeUppers: true });
    await keys.eachKey((key, cursor) => {
      const uuid = cursor.primaryKey as string;
      if (!known(uuid, (key as [string, number])[1])) out.push(uuid);
    });
    return out;
  };
  // The records stamped since, their uuids in one request: walking each key with its stamp
  // costs a step per key. The index may hold a few of them already (own edits, applied as
  // made): those are read again and left as they are (applyRead).
  const stale = (await db.records
    .where('[datasetId+changedAt]')
    .between([ds, since], [ds, Infinity], true, true)
    .primaryKeys()) as string[];
  // A pack written since (an import, or a record taken out of it): its records unless known.
  // One this index wrote itself (a delete's) is known whole without reading it.
  const packs = (
    await db.recordPacks
      .where('[datasetId+changedAt]')
      .between([ds, since], [ds, Infinity], true, true)
      .toArray()
  ).filter((p) => !ix.ownPacks.has(p.changedAt!));
  let changed = 0;
  for (let i = 0; i < packs.length; i += PACKS_AT_ONCE) {
    const stamped = (await packRecords(db, packs.slice(i, i + PACKS_AT_ONCE))).flat();
    const unknown = stamped.filter((r) => !ix.has(r.uuid, r.changedAt ?? NaN));
    for (const r of await assembled(db, unknown)) if (applyRead(ix, r)) changed++;
  }
  const derivedStale = await changedSince(
    db.recordDerived,
    (uuid, stamp) => ix.hasDerived(uuid, stamp),
    ownStamps(ix, since),
  );
  let verify = since < started - TOMBSTONE_DAYS * 86_400_000;
  // Keys alone: a bulk delete leaves a tombstone per record.
  const deleted = (await db.recordDeletions
    .where('at')
    .aboveOrEqual(since)
    .primaryKeys()) as string[];
  for (const uuid of deleted) {
    if (uuid === RANGE_DELETED) verify = true;
    else if (ix.cols.ordOf(uuid) !== undefined) stale.push(uuid); // gone, or deleted and put back
  }
  changed += await readInto(db, ix, stale);
  const readWhole = new Set(stale);
  changed += await patchInto(
    db,
    ix,
    derivedStale.filter((uuid) => !readWhole.has(uuid)),
    await packsStale(db, ix, since),
  );
  ix.watermark = started;
  for (const stamp of ix.ownDerived.keys()) if (stamp < started) ix.ownDerived.delete(stamp);
  for (const stamp of ix.ownPacks) if (stamp < started) ix.ownPacks.delete(stamp);
  return { changed, verify };
}

/**
 * The stamps of own derived writes (ix.ownDerived) since the watermark, left out of the walk
 * without reading them: a stamp is one write's (db.ts hands each out once), so a row another writer wrote
 * again since carries that writer's stamp and is walked there, and a deleted one leaves a
 * tombstone. Counting the keys at each stamp instead cost as much as walking them: after a
 * full near-duplicate pass, every record's row.
 */
function ownStamps(ix: DatasetIndex, since: number): number[] {
  return [...ix.ownDerived.keys()].filter((stamp) => stamp >= since).sort((a, b) => a - b);
}

/**
 * Derived packs stamped since the watermark, except the index's own (ownDerived: their
 * entries went in as written), found by keys before any pack is read.
 */
async function packsStale(db: MagpieDB, ix: DatasetIndex, since: number): Promise<DerivedPack[]> {
  const ids: string[] = [];
  await db.derivedPacks
    .where('[datasetId+changedAt]')
    .between([ix.datasetId, since], [ix.datasetId, Infinity], true, true)
    .eachKey((key, cursor) => {
      if (!ix.ownDerived.has((key as [string, number])[1])) ids.push(cursor.primaryKey as string);
    });
  if (!ids.length) return [];
  return (await db.derivedPacks.bulkGet(ids)).filter((p): p is DerivedPack => !!p);
}

/**
 * Applies changed derived states from the small values alone (rows, pack entries): the
 * review, tags and near-duplicate columns change in place. Each state is whole and the
 * index keeps the newest by stamp, so a row and a pack entry of one record may come in any
 * order. A state whose record the index does not hold yet is left to the record's own read
 * (the first full read, or its change stamp).
 */
async function patchInto(
  db: MagpieDB,
  ix: DatasetIndex,
  uuids: string[],
  packs: DerivedPack[],
): Promise<number> {
  if (!uuids.length && !packs.length) return 0;
  const source = await nearDupSource(db, ix.datasetId);
  const patches: DerivedPatch[] = [];
  for (let i = 0; i < uuids.length; i += READ_CHUNK) {
    const rows = (await db.recordDerived.bulkGet(uuids.slice(i, i + READ_CHUNK))) as (
      RecordDerived | undefined
    )[];
    for (const row of rows) if (row) patches.push(derivedPatch(row, source));
  }
  const packed = new PackedStates(packs);
  for (const pack of packs)
    for (let i = 0; i < pack.uuids.length; i++) {
      const ord = ix.cols.ordOf(pack.uuids[i]!);
      if (ord === undefined) continue;
      const state = packed.get(pack.uuids[i]!, ix.cols.createdAt[ord]);
      if (state?.changedAt === pack.changedAt) patches.push(derivedPatch(state!, source));
    }
  let changed = 0;
  for (const patch of patches) if (ix.applyDerived(patch)) changed++;
  return changed;
}

/** Compares every key with the store: finds what a delete by range removed. Slow; rare. */
export async function verify(db: MagpieDB, ix: DatasetIndex): Promise<number> {
  const keys = (await db.records.where('datasetId').equals(ix.datasetId).primaryKeys()) as string[];
  const packIds = (await db.recordPacks
    .where('datasetId')
    .equals(ix.datasetId)
    .primaryKeys()) as string[];
  for (const body of await db.packBodies.bulkGet(packIds)) if (body) keys.push(...body.uuids);
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
    const records = await getRecords(db, chunk);
    records.forEach((r, k) => {
      if (r && r.datasetId === ix.datasetId) {
        if (applyRead(ix, r)) changed++;
      } else if (ix.remove(chunk[k]!)) changed++;
    });
  }
  return changed;
}

/** The smallest double above x: an exclusive lower bound for an inclusive range. */
function above(x: number): number {
  return -below(-x);
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
