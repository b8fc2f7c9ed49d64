/**
 * What the quality view shows, answered from the dataset worker's index (its columns), so
 * a summary or a recipe preview costs a pass over typed arrays, never a read of the records:
 * the counts (how far tagging, dedup and review have got) and the small rows the recipe reads.
 */
import { DUP_FIRST, DUP_REPEAT, DUP_UNCHECKED, type Columns } from '../dataset/columns';
import type { QualitySummary } from '../shared/quality';
import type { ReviewStatus } from '../shared/record';
import type { RecipeRow } from './recipe/funnel';

/** A facet's value by ordinal, undefined where the record has none (code 0 is ''). */
function facetAt(cols: Columns, key: 'input_quality' | 'review', ord: number): string | undefined {
  const code = cols.facets[key][ord]!;
  return code === 0 ? undefined : cols.dicts[key].values[code];
}

export function reviewCounts(cols: Columns): Record<ReviewStatus, number> {
  const byCode = new Uint32Array(cols.dicts.review.values.length);
  const codes = cols.facets.review;
  for (let o = 0; o < cols.n; o++) if (cols.alive[o]) byCode[codes[o]!]!++;
  const out = { kept: 0, rejected: 0, unreviewed: 0 };
  cols.dicts.review.values.forEach((value, code) => {
    if (value in out) out[value as ReviewStatus] += byCode[code]!;
  });
  return out;
}

export function summaryOf(cols: Columns): QualitySummary {
  const out: QualitySummary = {
    records: 0,
    dedupChecked: 0,
    clusters: 0,
    duplicates: 0,
    tagged: { task_category: 0, input_quality: 0, difficulty: 0, response_score: 0 },
    failures: 0,
    review: reviewCounts(cols),
  };
  const { alive, dup, facets } = cols;
  const score = cols.numbers.response_score;
  for (let o = 0; o < cols.n; o++) {
    if (!alive[o]) continue;
    out.records++;
    if (facets.task_category[o]) out.tagged.task_category++;
    if (facets.input_quality[o]) out.tagged.input_quality++;
    if (facets.difficulty[o]) out.tagged.difficulty++;
    if (score[o] === score[o]) out.tagged.response_score++; // not NaN
    if (facets.tag_failure[o]) out.failures++;
    if (dup[o] === DUP_UNCHECKED) continue;
    out.dedupChecked++;
    if (dup[o] === DUP_REPEAT) out.duplicates++;
  }
  // A cluster: a record first of its cluster that some live duplicate points at.
  const pointedAt = new Set(cols.similarTo.values());
  for (const uuid of pointedAt) {
    const ord = cols.ordOf(uuid);
    if (ord !== undefined && dup[ord] === DUP_FIRST) out.clusters++;
  }
  return out;
}

/** The recipe's rows of every live record, in ordinal order. */
export function recipeRows(cols: Columns): RecipeRow[] {
  const rows: RecipeRow[] = [];
  const score = cols.numbers.response_score;
  for (let o = 0; o < cols.n; o++) {
    if (!cols.alive[o]) continue;
    const uuid = cols.uuids[o]!;
    const d = cols.dup[o];
    const reward = cols.instructReward[o]!;
    rows.push({
      uuid,
      createdAt: cols.createdAt[o]!,
      input_quality: facetAt(cols, 'input_quality', o),
      endsWithColon: cols.colon[o] === 1,
      min_similar_uuid:
        d === DUP_UNCHECKED ? undefined : d === DUP_FIRST ? uuid : cols.similarTo.get(o),
      response_score: score[o] === score[o] ? score[o] : undefined,
      responseLength: cols.shownResponseLength[o]!,
      ...(reward === reward && { instruct_reward: reward }),
      review: facetAt(cols, 'review', o) as ReviewStatus,
    });
  }
  return rows;
}
