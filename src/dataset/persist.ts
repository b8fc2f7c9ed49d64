/**
 * Saving and loading a DatasetIndex (tables explorerSnapshots / explorerSegments). A save
 * writes the columns and only the text segments sealed since the last one, in one
 * transaction, so a saved index is never half old, half new. An index holds the
 * near-duplicate values of the dataset's choice when it began reading; it is saved with
 * that choice's generation, and one of another generation is neither loaded nor saved.
 */
import { TOMBSTONE_DAYS, changeClock, type MagpieDB } from '../store/db';
import { nearDupGeneration } from '../store/derived';
import { DatasetIndex } from './dataset-index';
import { SNAPSHOT_FORMAT } from '../store/snapshot-format';
import { CATCH_UP_MARGIN_MS } from './sync';

/** The saved index's columns, or undefined when there is none (or an old format). */
export async function loadColumns(
  db: MagpieDB,
  datasetId: string,
): Promise<DatasetIndex | undefined> {
  const [row, generation] = await Promise.all([
    db.explorerSnapshots.get(datasetId),
    nearDupGeneration(db, datasetId),
  ]);
  if (!row || row.format !== SNAPSHOT_FORMAT) return undefined;
  if ((row.nearDupGeneration ?? 0) !== generation) {
    await dropIndex(db, datasetId); // the old choice's values
    return undefined;
  }
  try {
    const ix = DatasetIndex.fromSnapshot(row);
    // An exact one (an import's, or any save since) is caught up from where it stands:
    // looking back would read again every record of the last 30 s, after an import its last packs.
    if (!row.exactWatermark) ix.watermark -= CATCH_UP_MARGIN_MS;
    return ix;
  } catch {
    return undefined;
  }
}

/**
 * A new, empty index for a first full read, marked with the choice generation read before
 * any record (records read after a change of choice then make it stale, never the reverse).
 */
export async function newIndex(db: MagpieDB, datasetId: string): Promise<DatasetIndex> {
  const ix = new DatasetIndex(datasetId);
  ix.nearDupGeneration = await nearDupGeneration(db, datasetId);
  return ix;
}

export async function loadText(db: MagpieDB, ix: DatasetIndex): Promise<void> {
  ix.attachText(await db.explorerSegments.where('datasetId').equals(ix.datasetId).toArray());
}

export async function saveIndex(db: MagpieDB, ix: DatasetIndex): Promise<void> {
  if (!ix.textReady) return;
  const dirty = ix.dirty;
  const { row, segments, dropped } = ix.toSnapshot();
  row.exactWatermark = true; // the watermarks sync.ts keeps are exact
  const written = await db.transaction(
    'rw',
    [db.datasets, db.explorerSnapshots, db.explorerSegments],
    async () => {
      // Read in the same transaction: a change of choice lands wholly before or after.
      if ((await nearDupGeneration(db, ix.datasetId)) !== ix.nearDupGeneration) return false;
      if (segments.length) await db.explorerSegments.bulkPut(segments);
      if (dropped.length)
        await db.explorerSegments.bulkDelete(
          dropped.map((id) => [ix.datasetId, id] as [string, number]),
        );
      await db.explorerSnapshots.put(row);
      return true;
    },
  );
  if (!written) return;
  ix.markSaved(
    segments.map((s) => s.id),
    dropped,
    dirty,
  );
}

/** Forgets a dataset's saved index (broken, or the dataset is gone). */
export async function dropIndex(db: MagpieDB, datasetId: string): Promise<void> {
  await db.transaction('rw', [db.explorerSnapshots, db.explorerSegments], async () => {
    await db.explorerSegments.where('datasetId').equals(datasetId).delete();
    await db.explorerSnapshots.delete(datasetId);
  });
}

/** Drops saved indexes of datasets that no longer exist, and old tombstones. */
export async function pruneIndexes(db: MagpieDB): Promise<void> {
  const saved = (await db.explorerSnapshots.toCollection().primaryKeys()) as string[];
  const existing = new Set((await db.datasets.toCollection().primaryKeys()) as string[]);
  for (const id of saved) if (!existing.has(id)) await dropIndex(db, id);
  // By the clock tombstones are stamped with, as readers compare them (sync.ts, records.ts).
  const cutoff = (await changeClock(db)) - TOMBSTONE_DAYS * 86_400_000;
  await db.recordDeletions.where('at').below(cutoff).delete();
}
