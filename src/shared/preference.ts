/**
 * Preference records: which of k scored responses is chosen and which rejected, and the
 * curator's swap. Pure, so the pipeline, the explorer and the exports agree.
 */
import type { PairRecord, PreferenceResponse } from './record';
import { pairTurns } from './turns';

export type PreferenceChoice =
  | { ok: true; chosen: number; rejected: number }
  | { ok: false; reason: 'preference-tie' | 'preference-unscored' };

/**
 * chosen = the best score, rejected = the worst (the authors' best-of-n by reward).
 * Responses without a score (dropped by the response rules, or the judge's answer
 * unusable) take no part. Fewer than two scored, or best equal to worst (no preference
 * to learn): no record. Among equal scores the earliest response wins, so a rerun with
 * the same seeds picks the same pair.
 */
export function choosePreference(scores: readonly (number | undefined)[]): PreferenceChoice {
  let chosen = -1;
  let rejected = -1;
  let scored = 0;
  scores.forEach((s, i) => {
    if (s === undefined) return;
    scored++;
    if (chosen === -1 || s > (scores[chosen] as number)) chosen = i;
    if (rejected === -1 || s < (scores[rejected] as number)) rejected = i;
  });
  if (scored < 2) return { ok: false, reason: 'preference-unscored' };
  if (scores[chosen] === scores[rejected]) return { ok: false, reason: 'preference-tie' };
  return { ok: true, chosen, rejected };
}

/**
 * The fields a preference record shows as its pair: the chosen response is the record's
 * `response` (so search, sorting and the single-turn exports see the preferred answer).
 */
export function chosenFields(
  instruction: string,
  responses: readonly PreferenceResponse[],
  chosen: number,
): Pick<
  PairRecord,
  'response' | 'response_length' | 'conversations' | 'response_score' | 'response_score_reason'
> {
  const best = responses[chosen] as PreferenceResponse;
  return {
    response: best.text,
    response_length: best.text.length,
    conversations: pairTurns(instruction, best.text),
    response_score: best.score,
    response_score_reason: best.reason,
  };
}

/**
 * The curator's swap: chosen becomes rejected and back. Refused (undefined) for a record
 * that is not a preference record, or whose response the curator edited (the edit belongs
 * to the response it was made on).
 */
export function swappedPreference(record: PairRecord): Partial<PairRecord> | undefined {
  const p = record.preference;
  if (!p || record.edited?.response !== undefined) return undefined;
  const next = { ...p, chosen: p.rejected, rejected: p.chosen, swapped: !p.swapped };
  return { preference: next, ...chosenFields(record.instruction, p.responses, next.chosen) };
}
