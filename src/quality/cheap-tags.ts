/**
 * Tags every record gets when it is stored, with no model: language, an instruction
 * ending with ':' (incomplete), leaked template tokens, repetition inside the response.
 * Runs wherever records are written (the pipeline worker, the import worker).
 */
import { detect } from 'tinyld';
import type { PairRecord, RecordTags } from '../shared/record';
import { hasLeakedTemplateTokens } from '../pipeline/sanitize';

export type CheapTags = Pick<
  RecordTags,
  'language' | 'incomplete' | 'leaked_template' | 'response_repetition'
>;

export function cheapTags(record: Pick<PairRecord, 'instruction' | 'response'>): CheapTags {
  return {
    language: detect(record.instruction),
    incomplete: record.instruction.trimEnd().endsWith(':'),
    leaked_template:
      hasLeakedTemplateTokens(record.instruction) || hasLeakedTemplateTokens(record.response),
    response_repetition: repetition(record.response),
  };
}

/**
 * Share of word 4-grams that already occurred earlier in the text: ~0 for normal prose,
 * high for a model stuck in a loop.
 */
export function repetition(text: string, n = 4): number {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const total = words.length - n + 1;
  if (total <= 1) return 0;
  const seen = new Set<string>();
  let repeated = 0;
  for (let i = 0; i < total; i++) {
    const gram = words.slice(i, i + n).join(' ');
    if (seen.has(gram)) repeated++;
    else seen.add(gram);
  }
  return Math.round((repeated / total) * 1000) / 1000;
}
