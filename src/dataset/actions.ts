/**
 * The explorer's writes: review status, edits (beside the original text), deletes, and
 * the same on a whole view in chunks (one transaction per chunk, so a long bulk action
 * never holds the pipeline's writer back and what is done stays done). Each write is
 * applied to the index at once, so the view that made it can re-query straight away.
 */
import type { BulkProgress, TextEdit } from '../shared/explorer-api';
import { swappedPreference } from '../shared/preference';
import type { PairRecord, ReviewStatus } from '../shared/record';
import type { MagpieDB, StoredRecord } from '../store/db';
import { withEdit } from './dataset-index';
import type { OpenDataset } from './open-dataset';

const CHUNK = 500;

export async function setReview(
  db: MagpieDB,
  open: OpenDataset,
  uuids: string[],
  review: ReviewStatus,
): Promise<Map<ReviewStatus, string[]>> {
  const before = new Map<ReviewStatus, string[]>();
  const changed = await db.transaction('rw', db.records, async () => {
    const records = (await db.records.bulkGet(uuids)) as (StoredRecord | undefined)[];
    const next = records.filter(
      (r): r is StoredRecord => !!r && r.datasetId === open.datasetId && r.review !== review,
    );
    for (const r of next) {
      const list = before.get(r.review) ?? [];
      list.push(r.uuid);
      before.set(r.review, list);
      r.review = review;
    }
    await db.records.bulkPut(next);
    return next;
  });
  for (const r of changed) open.ix.upsert(r);
  if (changed.length) open.changed();
  return before;
}

export async function editRecord(
  db: MagpieDB,
  open: OpenDataset,
  uuid: string,
  edit: TextEdit,
): Promise<void> {
  await open.textReady;
  const record = await db.transaction('rw', db.records, async () => {
    const current = (await db.records.get(uuid)) as StoredRecord | undefined;
    if (!current) throw new Error('This record was deleted meanwhile; the edit was not stored.');
    const next = withEdit(current, edit, Date.now());
    await db.records.put(next);
    return next;
  });
  open.ix.upsert(record);
  open.changed();
}

/** The curator's swap of a preference record's chosen and rejected responses. */
export async function swapPreference(db: MagpieDB, open: OpenDataset, uuid: string): Promise<void> {
  await open.textReady;
  const record = await db.transaction('rw', db.records, async () => {
    const current = (await db.records.get(uuid)) as StoredRecord | undefined;
    if (!current) throw new Error('This record was deleted meanwhile; nothing was swapped.');
    const patch = swappedPreference(current);
    if (!patch) {
      throw new Error(
        current.preference
          ? 'The chosen response has an edit: clear the edit first, then swap.'
          : 'This record is not a preference record.',
      );
    }
    const next = { ...current, ...patch } as StoredRecord;
    await db.records.put(next);
    return next;
  });
  open.ix.upsert(record);
  open.changed();
}

export async function deleteRecords(
  db: MagpieDB,
  open: OpenDataset,
  uuids: string[],
): Promise<PairRecord[]> {
  const gone = await db.transaction('rw', db.records, async () => {
    const records = ((await db.records.bulkGet(uuids)) as (StoredRecord | undefined)[]).filter(
      (r): r is StoredRecord => !!r && r.datasetId === open.datasetId,
    );
    await db.records.bulkDelete(records.map((r) => r.uuid));
    return records;
  });
  for (const r of gone) open.ix.remove(r.uuid);
  if (gone.length) open.changed();
  return gone.map(({ changedAt: _stamp, ...record }) => record);
}

export async function restoreRecords(
  db: MagpieDB,
  open: OpenDataset,
  records: PairRecord[],
): Promise<void> {
  await open.textReady;
  const stored: StoredRecord[] = records.map((r) => ({ ...r, datasetId: open.datasetId }));
  await db.records.bulkPut(stored);
  for (const r of stored) open.ix.upsert(r);
  open.changed();
}

/** Sets `review` on every uuid, chunk by chunk; answers the statuses it replaced. */
export function bulkReview(
  db: MagpieDB,
  open: OpenDataset,
  uuids: string[],
  review: ReviewStatus,
  onProgress: (p: BulkProgress) => void,
): Promise<Map<ReviewStatus, string[]>> {
  return open.exclusive(async () => {
    const before = new Map<ReviewStatus, string[]>();
    for (let i = 0; i < uuids.length; i += CHUNK) {
      const replaced = await setReview(db, open, uuids.slice(i, i + CHUNK), review);
      for (const [status, list] of replaced) {
        const all = before.get(status) ?? [];
        for (const uuid of list) all.push(uuid);
        before.set(status, all);
      }
      onProgress({ done: Math.min(uuids.length, i + CHUNK), total: uuids.length });
    }
    return before;
  });
}

export function bulkDelete(
  db: MagpieDB,
  open: OpenDataset,
  uuids: string[],
  onProgress: (p: BulkProgress) => void,
): Promise<number> {
  return open.exclusive(async () => {
    let deleted = 0;
    for (let i = 0; i < uuids.length; i += CHUNK) {
      const chunk = uuids.slice(i, i + CHUNK);
      await db.records.bulkDelete(chunk);
      for (const uuid of chunk) if (open.ix.remove(uuid)) deleted++;
      open.changed();
      onProgress({ done: Math.min(uuids.length, i + CHUNK), total: uuids.length });
    }
    return deleted;
  });
}
