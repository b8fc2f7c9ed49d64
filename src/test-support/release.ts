/** A dataset as an imported Magpie release stores it, for tests of the file's values against the app's. */
import type { PairRecord } from '../shared/record';
import { MagpieDB } from '../store/db';

/**
 * A new database holding `records` in dataset `datasetId` ("release") as a release file
 * gives them: no engine, and the authors' near-duplicate values inside each record
 * (distance 0.5, no repeats, its own uuid as the closest).
 */
export async function seedRelease(datasetId: string, records: PairRecord[]): Promise<MagpieDB> {
  const db = new MagpieDB(`release-test-${crypto.randomUUID()}`);
  await db.records.bulkAdd(
    records.map((r) => ({
      ...r,
      engine: 'unknown',
      min_neighbor_distance: 0.5,
      repeat_count: 0,
      min_similar_uuid: r.uuid,
    })),
  );
  await db.datasets.add({ id: datasetId, name: 'release', createdAt: Date.now() });
  return db;
}
