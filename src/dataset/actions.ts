/**
 * The explorer's writes: review status, edits (beside the original text), deletes, and
 * the same on a whole view in chunks (one transaction per chunk, so a long bulk action
 * never holds the pipeline's writer back and what is done stays done). Each write is
 * applied to the index at once, so the view that made it can re-query straight away.
 * Review statuses go to the records' derived states (store/derived.ts: a row each, or
 * derived packs for thousands); edits and swaps change the text, so they rewrite the
 * record itself.
 */
import type { BulkProgress, TextEdit } from '../shared/explorer-api';
import { swappedPreference } from '../shared/preference';
import type { PairRecord, ReviewStatus } from '../shared/record';
import type { MagpieDB, StoredRecord } from '../store/db';
import {
  DerivedRowKeys,
  nearDupSource,
  withDerived,
  writeDerived,
  writeDerivedChunks,
  type PackedChange,
  type RecordDerived,
} from '../store/derived';
import { chunksAtPackBounds, datasetPacks, recordTables, type Restamped } from '../store/packs';
import { deleteStored, putRecord, storedRecords } from '../store/records';
import { withEdit } from './dataset-index';
import type { OpenDataset } from './open-dataset';

/**
 * Records deleted a transaction in a bulk delete: a packed record's delete rewrites its pack
 * (store/packs.ts), so a chunk that spans whole packs rewrites each once, not once a part.
 */
const CHUNK = 2000;

export async function setReview(
  db: MagpieDB,
  open: OpenDataset,
  uuids: string[],
  review: ReviewStatus,
): Promise<Map<ReviewStatus, string[]>> {
  const before = new Map<ReviewStatus, string[]>();
  const changed = await db.transaction('rw', recordTables(db), async () => {
    const stored = await storedRecords(db, uuids);
    const records = await withDerived(
      db,
      stored.filter((r): r is StoredRecord => !!r && r.datasetId === open.datasetId),
      { nearDup: 'auto' }, // only the review is read here (datasets are not in this transaction)
    );
    const next = records.filter((r) => r.review !== review);
    for (const r of next) {
      const list = before.get(r.review) ?? [];
      list.push(r.uuid);
      before.set(r.review, list);
    }
    return writeDerived(
      db,
      open.datasetId,
      next.map((r) => ({ uuid: r.uuid, fields: { review } })),
    );
  });
  await open.applyDerived(changed);
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
  const source = await nearDupSource(db, open.datasetId);
  let restamped: Restamped[] = [];
  const record = await db.transaction('rw', recordTables(db), async () => {
    const [current] = await storedRecords(db, [uuid]);
    if (!current) throw new Error('This record was deleted meanwhile; the edit was not stored.');
    const next = withEdit(current, edit, Date.now());
    restamped = await putRecord(db, next);
    const [assembled] = await withDerived(db, [next], { nearDup: source });
    return assembled!;
  });
  open.ix.restamp(restamped);
  open.ix.upsert(record);
  open.changed();
}

/** The curator's swap of a preference record's chosen and rejected responses. */
export async function swapPreference(db: MagpieDB, open: OpenDataset, uuid: string): Promise<void> {
  await open.textReady;
  const source = await nearDupSource(db, open.datasetId);
  let restamped: Restamped[] = [];
  const record = await db.transaction('rw', recordTables(db), async () => {
    const [current] = await storedRecords(db, [uuid]);
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
    restamped = await putRecord(db, next);
    const [assembled] = await withDerived(db, [next], { nearDup: source });
    return assembled!;
  });
  open.ix.restamp(restamped);
  open.ix.upsert(record);
  open.changed();
}

/** A deleted record as the page keeps it for an undo: as stored, with its derived row. */
type DeletedRecord = PairRecord & { derived?: RecordDerived };

export async function deleteRecords(
  db: MagpieDB,
  open: OpenDataset,
  uuids: string[],
): Promise<PairRecord[]> {
  let restamped: Restamped[] = [];
  const gone = await db.transaction('rw', recordTables(db), async () => {
    const records = (await storedRecords(db, uuids)).filter(
      (r): r is StoredRecord => !!r && r.datasetId === open.datasetId,
    );
    const keys = records.map((r) => r.uuid);
    const derived = (await db.recordDerived.bulkGet(keys)) as (RecordDerived | undefined)[];
    restamped = await deleteStored(db, keys); // the store deletes their derived rows with them
    return records.map((r, i): DeletedRecord => {
      const { changedAt: _stamp, ...record } = r;
      const row = derived[i];
      if (!row) return record;
      const { changedAt: _at, ...rest } = row;
      return { ...record, derived: rest };
    });
  });
  open.ix.restamp(restamped);
  for (const r of gone) open.ix.remove(r.uuid);
  if (gone.length) open.changed();
  return gone;
}

/** Puts deleted records back as they were: the record and its derived row apart again. */
export async function restoreRecords(
  db: MagpieDB,
  open: OpenDataset,
  records: PairRecord[],
): Promise<void> {
  await open.textReady;
  const stored: StoredRecord[] = [];
  const rows: RecordDerived[] = [];
  for (const { derived, ...r } of records as DeletedRecord[]) {
    stored.push({ ...r, datasetId: open.datasetId });
    if (derived) rows.push({ ...derived, datasetId: open.datasetId });
  }
  await db.transaction('rw', recordTables(db), async () => {
    await db.records.bulkPut(stored);
    await db.recordDerived.bulkPut(rows);
  });
  for (const r of await withDerived(db, stored)) open.ix.upsert(r);
  open.changed();
}

/**
 * Sets `review` on every uuid; answers the statuses it replaced. The statuses come from the
 * index (the caller caught it up), so no record is read (reading each chunk's records was
 * most of a bulk review's time). The writes go a chunk a transaction, as derived packs when
 * they are thousands (store/derived.ts), so what is done stays done if one fails.
 */
export function bulkReview(
  db: MagpieDB,
  open: OpenDataset,
  uuids: string[],
  review: ReviewStatus,
  onProgress: (p: BulkProgress) => void,
): Promise<Map<ReviewStatus, string[]>> {
  return open.exclusive(async () => {
    const { cols } = open.ix;
    const statuses = cols.dicts.review.values;
    const was = new Map<string, ReviewStatus>();
    const changes: PackedChange[] = [];
    for (const uuid of uuids) {
      const ord = cols.ordOf(uuid);
      if (ord === undefined || !cols.alive[ord]) continue;
      const status = (statuses[cols.facets.review[ord]!] || 'unreviewed') as ReviewStatus;
      if (status === review) continue;
      was.set(uuid, status);
      changes.push({ uuid, recordAt: cols.createdAt[ord]!, fields: { review } });
    }
    // Records already in that status count as done at once.
    const unchanged = uuids.length - changes.length;
    onProgress({ done: unchanged, total: uuids.length });
    const written = await writeDerivedChunks(
      db,
      open.datasetId,
      changes,
      // The index read every record it holds at or after its watermark: only records
      // deleted since are looked up again (they get no state).
      { since: open.ix.watermark },
      (done) => onProgress({ done: unchanged + done, total: uuids.length }),
    );
    await open.applyDerived(written);
    if (written.length) open.changed();
    const before = new Map<ReviewStatus, string[]>();
    for (const row of written) {
      const status = was.get(row.uuid)!;
      const list = before.get(status) ?? [];
      list.push(row.uuid);
      before.set(status, list);
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
    const { cols } = open.ix;
    const records: { uuid: string; createdAt: number }[] = [];
    for (const uuid of uuids) {
      const ord = cols.ordOf(uuid);
      if (ord !== undefined) records.push({ uuid, createdAt: cols.createdAt[ord]! });
    }
    const chunks = chunksAtPackBounds(await datasetPacks(db, open.datasetId), records, CHUNK);
    const rowKeys = await DerivedRowKeys.read(db, open.datasetId);
    const withRow = (packed: string[]) => rowKeys.withRow(db, packed);
    let deleted = 0;
    let done = uuids.length - records.length; // not in the index: gone already
    for (const chunk of chunks) {
      open.ix.restamp(await deleteStored(db, chunk.uuids, chunk.packs, withRow));
      for (const uuid of chunk.uuids) if (open.ix.remove(uuid)) deleted++;
      open.changed();
      done += chunk.uuids.length;
      onProgress({ done, total: uuids.length });
    }
    return deleted;
  });
}
