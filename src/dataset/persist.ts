/**
 * Saving and loading a DatasetIndex (tables explorerSnapshots / explorerSegments). A save
 * writes the columns and only the text segments sealed since the last one, in one
 * transaction, so a saved index is never half old, half new.
 */
import type { MagpieDB } from '../store/db';
import { DatasetIndex } from './dataset-index';
import { SNAPSHOT_FORMAT } from '../store/snapshot-format';
import { TOMBSTONE_DAYS } from './sync';

/** The saved index's columns, or undefined when there is none (or an old format). */
export async function loadColumns(
  db: MagpieDB,
  datasetId: string,
): Promise<DatasetIndex | undefined> {
  const row = await db.explorerSnapshots.get(datasetId);
  if (!row || row.format !== SNAPSHOT_FORMAT) return undefined;
  try {
    return DatasetIndex.fromSnapshot(row);
  } catch {
    return undefined;
  }
}

export async function loadText(db: MagpieDB, ix: DatasetIndex): Promise<void> {
  ix.attachText(await db.explorerSegments.where('datasetId').equals(ix.datasetId).toArray());
}

export async function saveIndex(db: MagpieDB, ix: DatasetIndex): Promise<void> {
  if (!ix.textReady) return;
  const dirty = ix.dirty;
  const { row, segments, dropped } = ix.toSnapshot();
  await db.transaction('rw', [db.explorerSnapshots, db.explorerSegments], async () => {
    if (segments.length) await db.explorerSegments.bulkPut(segments);
    if (dropped.length)
      await db.explorerSegments.bulkDelete(
        dropped.map((id) => [ix.datasetId, id] as [string, number]),
      );
    await db.explorerSnapshots.put(row);
  });
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
  await db.recordDeletions
    .where('at')
    .below(Date.now() - TOMBSTONE_DAYS * 86_400_000)
    .delete();
}
