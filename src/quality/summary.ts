/**
 * One scan for what the quality view shows: the counts (how far tagging, dedup and review
 * have got) and the small rows the recipe reads, so previewing a recipe while the user
 * toggles its steps never rescans a 300k-record dataset.
 */
import type { QualitySummary } from '../shared/quality';
import type { ReviewStatus } from '../shared/record';
import type { MagpieDB } from '../store/db';
import { recipeRow, type RecipeRow } from './recipe/funnel';
import { scanDataset } from './scan';

export interface RecipeData {
  rows: RecipeRow[];
  review: ReviewStatus[];
}

export async function scanQuality(
  db: MagpieDB,
  datasetId: string,
): Promise<{ summary: QualitySummary; recipe: RecipeData }> {
  const out: QualitySummary = {
    records: 0,
    dedupChecked: 0,
    clusters: 0,
    duplicates: 0,
    tagged: { task_category: 0, input_quality: 0, difficulty: 0, response_score: 0 },
    failures: 0,
    review: { kept: 0, rejected: 0, unreviewed: 0 },
  };
  const recipe: RecipeData = { rows: [], review: [] };
  const firsts = new Set<string>();
  const pointedAt = new Set<string>();
  await scanDataset(db, datasetId, (page) => {
    for (const r of page) {
      recipe.rows.push(recipeRow(r));
      recipe.review.push(r.review);
      out.records++;
      out.review[r.review]++;
      if (r.task_category !== undefined) out.tagged.task_category++;
      if (r.input_quality !== undefined) out.tagged.input_quality++;
      if (r.difficulty !== undefined) out.tagged.difficulty++;
      if (r.response_score !== undefined) out.tagged.response_score++;
      if (r.tag_failure) out.failures++;
      if (r.min_similar_uuid === undefined) continue;
      out.dedupChecked++;
      if (r.min_similar_uuid === r.uuid) firsts.add(r.uuid);
      else {
        out.duplicates++;
        pointedAt.add(r.min_similar_uuid);
      }
    }
  });
  for (const uuid of pointedAt) if (firsts.has(uuid)) out.clusters++;
  return { summary: out, recipe };
}
