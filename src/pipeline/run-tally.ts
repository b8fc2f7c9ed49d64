/**
 * The live counts of a run's method controls: pairs per system prompt, and how often the
 * instruction came out in its target language. Kept with the run's counters, so a resumed run
 * goes on counting where it stopped.
 */
import type { RunRecord, RunTally } from '../shared/run';
import type { PairOutcome } from './generate-pair';

/** Undefined for a run that draws neither system prompts nor languages: nothing to count. */
export function startTally(run: RunRecord): RunTally | undefined {
  const { systemPrompts, languages } = run.settings;
  if (!systemPrompts?.length && !languages?.length) return undefined;
  return run.tally
    ? copyTally(run.tally)
    : { bySystemPrompt: {}, languageChecked: 0, languageMatched: 0 };
}

export function countInTally(tally: RunTally, outcome: PairOutcome): void {
  if (outcome.languageMatched !== undefined) {
    tally.languageChecked += 1;
    if (outcome.languageMatched) tally.languageMatched += 1;
  }
  const id = outcome.plan.systemPromptId;
  if (outcome.kind === 'pair' && id !== undefined) {
    tally.bySystemPrompt[id] = (tally.bySystemPrompt[id] ?? 0) + 1;
  }
}

export function copyTally(t: RunTally): RunTally {
  return { ...t, bySystemPrompt: { ...t.bySystemPrompt } };
}
