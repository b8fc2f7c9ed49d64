/**
 * Reads a whole dataset page by page in creation order, so a 300k-record dataset never
 * sits in memory at once. Pages follow the [datasetId+createdAt] index; records sharing
 * one timestamp (an import stamps many alike) are read together so none is skipped.
 */
import type { PairRecord } from '../shared/record';
import type { MagpieDB } from '../store/db';

export interface ScanOptions {
  /** Start at this createdAt (inclusive). */
  from?: number;
  pageSize?: number;
  signal?: AbortSignal;
}

export async function scanDataset(
  db: MagpieDB,
  datasetId: string,
  onPage: (records: PairRecord[]) => void | Promise<void>,
  opts: ScanOptions = {},
): Promise<void> {
  const pageSize = opts.pageSize ?? 2000;
  const index = db.records.where('[datasetId+createdAt]');
  let lower = opts.from ?? -Infinity;
  let inclusive = true;
  for (;;) {
    if (opts.signal?.aborted) return;
    const page = await index
      .between([datasetId, lower], [datasetId, Infinity], inclusive, true)
      .limit(pageSize)
      .toArray();
    if (page.length < pageSize) {
      if (page.length) await onPage(page);
      return;
    }
    const last = (page[page.length - 1] as PairRecord).createdAt;
    const head = page.filter((r) => r.createdAt !== last);
    const sameTime = await index.equals([datasetId, last]).toArray();
    await onPage(head.concat(sameTime));
    lower = last;
    inclusive = false;
  }
}
