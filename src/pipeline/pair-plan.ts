/**
 * What pair k of a run is asked for: its system prompt (domain control, target language) drawn
 * from the run's seed, and the prompts rendered from the model's own chat template. Drawn per
 * pair, not per batch, and reproducible: the same run settings and index give the same pair plan.
 */
import { composeSystemPrompt } from '../shared/languages';
import type { RunSettings } from '../shared/run';
import { pairRandom, weightedIndex } from '../shared/seeded';
import type { PromptTemplate } from '../shared/template';
import { renderInstructionPrompt, renderResponsePrompt } from '../shared/templates/render';

export interface PairPlan {
  /** Id of the drawn domain prompt; absent when the run has none. */
  systemPromptId?: string;
  /** The system prompt sent (domain prompt, then the language request); absent for none. */
  system?: string;
  /** ISO 639-1 code the instruction is asked to be in. */
  targetLanguage?: string;
}

type PlanSettings = Pick<RunSettings, 'seed' | 'systemPrompts' | 'languages'>;

export function planPair(settings: PlanSettings, sampleIndex: number): PairPlan {
  const plan: PairPlan = {};
  const prompts = settings.systemPrompts ?? [];
  const p = weightedIndex(
    prompts.map((x) => x.weight),
    pairRandom(settings.seed, sampleIndex, 'system-prompt'),
  );
  const domain = prompts[p];
  if (domain) plan.systemPromptId = domain.id;
  const languages = settings.languages ?? [];
  const l = weightedIndex(
    languages.map((x) => x.weight),
    pairRandom(settings.seed, sampleIndex, 'language'),
  );
  const language = languages[l];
  if (language) plan.targetLanguage = language.code;
  const system = composeSystemPrompt(domain?.text, language?.prompt);
  if (system) plan.system = system;
  return plan;
}

/** The two prompts of a first-turn pair under its plan. */
export function pairPrompts(
  template: PromptTemplate,
  settings: Pick<RunSettings, 'systemPromptInResponse'>,
  plan: PairPlan,
) {
  const responseSystem = settings.systemPromptInResponse === false ? undefined : plan.system;
  return {
    instruction: renderInstructionPrompt(template, { system: plan.system, turns: [] }),
    response: (instruction: string) =>
      renderResponsePrompt(template, { system: responseSystem, turns: [], instruction }),
  };
}

/** A markdown heading at the start: what the first-token rule keeps instructions from opening with. */
export function opensWithHeading(text: string): boolean {
  return /^\s*#{1,6}(?:\s|\*|$)/.test(text);
}
