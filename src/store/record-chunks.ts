/**
 * The one keyset iterator over a dataset: its records in creation order, a chunk at a time,
 * so a scan of 300,000 records holds one chunk in memory. Pages by key (createdAt, then
 * uuid, the index's own order) rather than by offset, which would re-walk every earlier
 * record for each chunk; records sharing a createdAt across a chunk boundary come once.
 * Export, import, the map, near-duplicates and the judge all read through it. Records come
 * overlaid with their derived rows (review, tags, near-duplicates: derived.ts) unless the
 * caller needs only what records hold (`raw`).
 */
import { SourceCache, withDerived, type AssembledRecord, type NearDupSource } from './derived';
import type { MagpieDB, StoredRecord } from './db';

export interface ChunkOptions {
  /** Records as stored, without their derived rows (for texts alone: cheaper). */
  raw?: boolean;
  /** Near-duplicate values to show; the dataset's choice when absent. */
  nearDup?: NearDupSource;
}

export async function* recordChunks(
  db: MagpieDB,
  datasetId: string,
  size = 1000,
  /** Start at this createdAt (inclusive). */
  from = -Infinity,
  opts: ChunkOptions = {},
): AsyncGenerator<AssembledRecord[]> {
  const sources = new SourceCache(db);
  let after: { createdAt: number; uuid: string } | undefined;
  // Records already returned that share the last createdAt: the next read starts at that
  // createdAt again (inclusive), so it must ask for that many more and drop them.
  let ties = 0;
  const read = () =>
    db.records
      .where('[datasetId+createdAt]')
      .between([datasetId, after ? after.createdAt : from], [datasetId, Infinity], true, true)
      .limit(size + ties)
      .toArray() as Promise<StoredRecord[]>;

  let pending = read();
  for (;;) {
    const raw = await pending;
    const last = after;
    const fresh = last
      ? raw.filter((r) => r.createdAt > last.createdAt || r.uuid > last.uuid)
      : raw;
    const end = raw.length < size + ties;
    const tail = fresh[fresh.length - 1];
    if (tail) {
      ties = tail.createdAt === last?.createdAt ? ties : 0;
      for (let i = fresh.length - 1; i >= 0 && fresh[i]!.createdAt === tail.createdAt; i--) ties++;
      after = { createdAt: tail.createdAt, uuid: tail.uuid };
    } else if (!end) {
      // Only possible if records were added inside the last createdAt meanwhile: widen.
      ties += size;
    }
    // Read the next chunk while the caller works on this one.
    if (!end) pending = read();
    if (fresh.length)
      yield opts.raw ? fresh : await withDerived(db, fresh, { nearDup: opts.nearDup, sources });
    if (end) return;
  }
}

export interface ScanOptions extends ChunkOptions {
  /** Start at this createdAt (inclusive). */
  from?: number;
  pageSize?: number;
  signal?: AbortSignal;
}

/** recordChunks with a callback per page, stopping when `signal` is aborted. */
export async function scanDataset(
  db: MagpieDB,
  datasetId: string,
  onPage: (records: AssembledRecord[]) => void | Promise<void>,
  opts: ScanOptions = {},
): Promise<void> {
  for await (const page of recordChunks(db, datasetId, opts.pageSize ?? 2000, opts.from, opts)) {
    if (opts.signal?.aborted) return;
    await onPage(page);
  }
}
