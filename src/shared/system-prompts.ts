/**
 * Domain control: a system prompt inside the pre-query template steers what the model asks
 * about. A run carries a weighted list; one is drawn per pair (pipeline/pair-plan.ts).
 */

export interface WeightedSystemPrompt {
  /** Stable within a run: records and live counts refer to a prompt by it. */
  id: string;
  /** Short name shown in the live view and the explorer. */
  label: string;
  text: string;
  /** Relative weight; the shares are weight / sum of weights. */
  weight: number;
}

/**
 * The Magpie authors' control-task prompts and their generic one, verbatim (magpie-align/magpie
 * configs/model_configs.json and exp/gen_ins.py; see shared/magpie-method.md section 3).
 */
export const SYSTEM_PROMPT_PRESETS: readonly Omit<WeightedSystemPrompt, 'weight'>[] = [
  {
    id: 'math',
    label: 'Math',
    text: 'You are an AI assistant designed to provide helpful, step-by-step guidance on solving math problems. The user will ask you a wide range of complex mathematical questions.\nYour purpose is to assist users in understanding mathematical concepts, working through equations, and arriving at the correct solutions.',
  },
  {
    id: 'code',
    label: 'Code',
    text: 'You are an AI assistant designed to provide helpful, step-by-step guidance on coding problems. The user will ask you a wide range of coding questions.\nYour purpose is to assist users in understanding coding concepts, working through code, and arriving at the correct solutions.',
  },
  {
    id: 'translation',
    label: 'Translation',
    text: 'You are an AI assistant specifically designed to provide accurate and contextually appropriate translations. Users will ask you to translate text between various languages.\nYour purpose is to assist users in understanding and conveying meaning across languages, maintaining the original context and nuances.',
  },
  {
    id: 'generic',
    label: 'Generic',
    text: "A chat between a curious user and an artificial intelligence assistant. The assistant gives helpful, detailed, and polite answers to the user's questions.",
  },
];

/** Problems with a prompt list, in words; empty when it can be run. */
export function systemPromptProblems(prompts: readonly WeightedSystemPrompt[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  prompts.forEach((p, i) => {
    const name = p.label || `prompt ${i + 1}`;
    if (!p.text.trim()) problems.push(`System prompt “${name}” is empty.`);
    if (!Number.isFinite(p.weight) || p.weight < 0) {
      problems.push(`System prompt “${name}” needs a weight of 0 or more.`);
    }
    if (ids.has(p.id)) problems.push(`Two system prompts share the id “${p.id}”.`);
    ids.add(p.id);
  });
  if (prompts.length && !prompts.some((p) => p.weight > 0)) {
    problems.push('At least one system prompt needs a weight above 0.');
  }
  return problems;
}
