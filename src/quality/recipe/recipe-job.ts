/**
 * The recipe against the data, from the dataset worker's index: the funnel is computed
 * from the index's rows (nothing changes); applying takes the index as it is now (it may
 * have grown or been tagged since the preview) and sets each record's review status in
 * one transaction: 'kept' for survivors, 'rejected' for the rest. Only records whose
 * status changes are written (to their derived states, not the records), and the index
 * takes the writes at once.
 */
import type { OpenDataset } from '../../dataset/open-dataset';
import type { ApplyResult, Funnel, RecipeSteps } from '../../shared/quality';
import type { ReviewStatus } from '../../shared/record';
import type { MagpieDB } from '../../store/db';
import { writeDerivedChunks } from '../../store/derived';
import { PACKED_FROM } from '../../store/derived-packs';
import { recordTables } from '../../store/packs';
import { runRecipe, type RecipeRow } from './funnel';

export function recipeFunnel(
  rows: RecipeRow[],
  current: Funnel['current'],
  steps: RecipeSteps,
): Funnel {
  const result = runRecipe(rows, steps);
  return { total: rows.length, steps: result.steps, kept: result.survivors.length, current };
}

export async function applyRecipe(
  db: MagpieDB,
  open: OpenDataset,
  rows: RecipeRow[],
  steps: RecipeSteps,
  packedFrom = PACKED_FROM,
): Promise<ApplyResult> {
  const survivors = new Set(runRecipe(rows, steps).survivors.map((r) => r.uuid));
  const next = new Map<string, ReviewStatus>();
  for (const r of rows) {
    const status: ReviewStatus = survivors.has(r.uuid) ? 'kept' : 'rejected';
    if (r.review !== status) next.set(r.uuid, status);
  }
  const { cols } = open.ix;
  const changes = [...next].map(([uuid, review]) => ({
    uuid,
    recordAt: cols.createdAt[cols.ordOf(uuid)!]!,
    fields: { review },
  }));
  await open.exclusive(async () => {
    // One transaction: the statuses change all together or not at all. Thousands of them
    // go to derived packs (store/derived-packs.ts), many records to a value, not a row each.
    // The index read every record it holds at or after its watermark: only records deleted
    // since are looked up again.
    const seen = { since: open.ix.watermark };
    const written = await db.transaction('rw', recordTables(db), () =>
      writeDerivedChunks(db, open.datasetId, changes, seen, undefined, packedFrom),
    );
    await open.applyDerived(written);
    if (written.length) open.changed();
  });
  return { kept: survivors.size, rejected: rows.length - survivors.size };
}
