/**
 * The Magpie authors' filter recipe as a funnel: each step keeps what passes it, in order,
 * and counts what it removes (and how many of those simply lacked the tag the step reads,
 * so "removed" never hides "not tagged yet"). Pure: the dataset worker feeds it records.
 * Text is what the record shows (the user's edit where there is one), as in the explorer.
 */
import { shownText } from '../../shared/filter';
import type { FunnelStep, RecipeStepId, RecipeSteps } from '../../shared/quality';
import type { PairRecord, ReviewStatus } from '../../shared/record';

/** What the recipe reads of a record; small, so 300k of them fit in the worker. */
export interface RecipeRow {
  uuid: string;
  createdAt: number;
  input_quality?: string;
  endsWithColon: boolean;
  min_similar_uuid?: string;
  response_score?: number;
  responseLength: number;
  /** The reward a file brought (Magpie releases), for the authors' `instruct_reward > -10`. */
  instruct_reward?: number;
  review: ReviewStatus;
}

export function recipeRow(r: PairRecord): RecipeRow {
  const { instruction, response } = shownText(r);
  return {
    uuid: r.uuid,
    createdAt: r.createdAt,
    input_quality: r.input_quality,
    endsWithColon: instruction.trimEnd().endsWith(':'),
    min_similar_uuid: r.min_similar_uuid,
    response_score: r.response_score,
    responseLength: response.length,
    ...(r.instruct_reward !== undefined && { instruct_reward: r.instruct_reward }),
    review: r.review,
  };
}

interface Step {
  id: RecipeStepId;
  label: string;
  /** undefined: the record lacks the tag (removed, counted as untagged). */
  keep?: (r: RecipeRow) => boolean | undefined;
  /** A step that chooses among the survivors as a whole (top N). */
  choose?: (rows: RecipeRow[]) => RecipeRow[];
}

export function recipeStepsOf(steps: RecipeSteps): Step[] {
  const out: Step[] = [];
  const qualities = steps.inputQuality;
  if (qualities) {
    out.push({
      id: 'inputQuality',
      label: `Input quality is ${qualities.join(' or ') || 'none'}`,
      keep: (r) =>
        r.input_quality === undefined ? undefined : qualities.includes(r.input_quality as never),
    });
  }
  if (steps.dropEndsWithColon) {
    out.push({
      id: 'dropEndsWithColon',
      label: 'Instruction does not end with ":"',
      keep: (r) => !r.endsWithColon,
    });
  }
  if (steps.firstOfCluster) {
    out.push({
      id: 'firstOfCluster',
      label: 'First of its near-duplicate cluster',
      keep: (r) => (r.min_similar_uuid === undefined ? undefined : r.min_similar_uuid === r.uuid),
    });
  }
  const reward = steps.minInstructReward;
  if (reward !== null && reward !== undefined) {
    out.push({
      id: 'minInstructReward',
      label: `Instruct reward above ${reward}`,
      keep: (r) => (r.instruct_reward === undefined ? undefined : r.instruct_reward > reward),
    });
  }
  const min = steps.minResponseScore;
  if (min !== null) {
    out.push({
      id: 'minResponseScore',
      label: `Response score at least ${min}`,
      keep: (r) => (r.response_score === undefined ? undefined : r.response_score >= min),
    });
  }
  const n = steps.topN;
  if (n !== null) {
    out.push({
      id: 'topN',
      label: `Top ${n.toLocaleString('en')} by response length`,
      choose: (rows) =>
        [...rows]
          .sort((a, b) => b.responseLength - a.responseLength || a.createdAt - b.createdAt)
          .slice(0, Math.max(0, n)),
    });
  }
  return out;
}

export function runRecipe(
  rows: RecipeRow[],
  steps: RecipeSteps,
): { steps: FunnelStep[]; survivors: RecipeRow[] } {
  let current = rows;
  const funnel: FunnelStep[] = [];
  for (const step of recipeStepsOf(steps)) {
    let next: RecipeRow[];
    let untagged = 0;
    if (step.choose) {
      next = step.choose(current);
    } else {
      next = [];
      for (const r of current) {
        const verdict = step.keep?.(r);
        if (verdict) next.push(r);
        else if (verdict === undefined) untagged++;
      }
    }
    funnel.push({
      id: step.id,
      label: step.label,
      removed: current.length - next.length,
      untagged,
      remaining: next.length,
    });
    current = next;
  }
  return { steps: funnel, survivors: current };
}
