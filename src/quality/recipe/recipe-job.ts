/**
 * The recipe against the data: the funnel is computed from rows already read (nothing
 * changes); applying reads the dataset again (it may have grown or been tagged since)
 * and sets each record's review status in one transaction: 'kept' for survivors,
 * 'rejected' for the rest. Records stored after that read are left as they are; only
 * records whose status changes are written.
 */
import type { ApplyResult, Funnel, RecipeSteps } from '../../shared/quality';
import type { ReviewStatus } from '../../shared/record';
import type { MagpieDB } from '../../store/db';
import { scanQuality, type RecipeData } from '../summary';
import { runRecipe } from './funnel';

export function recipeFunnel({ rows, review }: RecipeData, steps: RecipeSteps): Funnel {
  const result = runRecipe(rows, steps);
  const current = { kept: 0, rejected: 0, unreviewed: 0 };
  for (const status of review) current[status]++;
  return { total: rows.length, steps: result.steps, kept: result.survivors.length, current };
}

export async function applyRecipe(
  db: MagpieDB,
  datasetId: string,
  steps: RecipeSteps,
): Promise<ApplyResult> {
  const { rows, review } = (await scanQuality(db, datasetId)).recipe;
  const survivors = new Set(runRecipe(rows, steps).survivors.map((r) => r.uuid));
  const changes: { key: string; changes: { review: ReviewStatus } }[] = [];
  rows.forEach((r, i) => {
    const next: ReviewStatus = survivors.has(r.uuid) ? 'kept' : 'rejected';
    if (review[i] !== next) changes.push({ key: r.uuid, changes: { review: next } });
  });
  // One transaction: the statuses change all together or not at all.
  await db.transaction('rw', db.records, async () => {
    for (let i = 0; i < changes.length; i += 5000) {
      await db.records.bulkUpdate(changes.slice(i, i + 5000));
    }
  });
  return { kept: survivors.size, rejected: rows.length - survivors.size };
}
