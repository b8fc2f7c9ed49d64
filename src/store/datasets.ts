import type { Dataset } from '../shared/record';
import type { MagpieDB } from './db';
import { recordTables } from './packs';
import { deleteDatasetRecords } from './records';

export async function createDataset(db: MagpieDB, name: string): Promise<Dataset> {
  const dataset: Dataset = {
    id: crypto.randomUUID(),
    name: name.trim() || 'Untitled',
    createdAt: Date.now(),
  };
  await db.datasets.add(dataset);
  return dataset;
}

export function listDatasets(db: MagpieDB): Promise<Dataset[]> {
  return db.datasets.orderBy('createdAt').toArray();
}

/** For the datasets UI's rename (issue 15, part A); `@public` tells knip it is meant. @public */
export async function renameDataset(db: MagpieDB, id: string, name: string): Promise<void> {
  await db.datasets.update(id, { name: name.trim() || 'Untitled' });
}

/**
 * Removes the dataset with all its runs, records, the explorer's saved index, its map and its
 * place on other datasets' maps, atomically.
 */
export async function deleteDataset(db: MagpieDB, id: string): Promise<void> {
  const tables = [
    ...recordTables(db),
    db.datasets,
    db.runs,
    db.explorerSnapshots,
    db.explorerSegments,
    db.mapLayouts,
    db.mapModels,
  ];
  await db.transaction('rw', tables, async () => {
    await deleteDatasetRecords(db, id);
    await db.runs.where('datasetId').equals(id).delete();
    await db.explorerSnapshots.delete(id);
    await db.explorerSegments.where('datasetId').equals(id).delete();
    await db.mapLayouts.delete(id);
    await db.mapModels.delete(id);
    // Placed on another dataset's map for coverage, it goes from there too.
    const placedOn = await db.mapLayouts
      .filter((row) => !!row.overlays?.some((o) => o.datasetId === id))
      .toArray();
    for (const row of placedOn)
      await db.mapLayouts.put({
        ...row,
        overlays: row.overlays!.filter((o) => o.datasetId !== id),
      });
    await db.datasets.delete(id);
  });
}

/**
 * The dataset to write into when the user has not picked one: the one named if it still
 * exists, else the oldest, else a new one (a first visit starts with a dataset, not a form).
 * One transaction, so two callers at once (React's strict mode, two tabs) make one dataset.
 */
export function ensureDataset(
  db: MagpieDB,
  preferredId: string | undefined,
  name: string,
): Promise<Dataset> {
  return db.transaction('rw', db.datasets, async () => {
    const preferred = preferredId ? await db.datasets.get(preferredId) : undefined;
    if (preferred) return preferred;
    const oldest = await db.datasets.orderBy('createdAt').first();
    return oldest ?? createDataset(db, name);
  });
}
