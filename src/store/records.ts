import type { PairRecord } from '../shared/record';
import type { MagpieDB } from './db';

/** Newest first, one page at a time: the plain list never loads a whole dataset. */
export function recentRecords(
  db: MagpieDB,
  datasetId: string,
  limit: number,
  offset = 0,
): Promise<PairRecord[]> {
  return db.records
    .where('[datasetId+createdAt]')
    .between([datasetId, -Infinity], [datasetId, Infinity])
    .reverse()
    .offset(offset)
    .limit(limit)
    .toArray();
}

export function countRecords(db: MagpieDB, datasetId: string): Promise<number> {
  return db.records.where('datasetId').equals(datasetId).count();
}
