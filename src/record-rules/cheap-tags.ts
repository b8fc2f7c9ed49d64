/**
 * Tags every record gets when it is stored, with no model: language, an instruction
 * ending with ':' (incomplete), leaked template tokens, repetition inside the response.
 * Runs wherever records are written (the pipeline worker, the import worker): a record rule
 * both use, so neither imports the other.
 */
import { FNV_OFFSET, fnvStep } from '../shared/fnv';
import type { PairRecord, RecordTags } from '../shared/record';
import { hasLeakedTemplateTokens } from './template-tokens';
import { loadDetectLanguage } from './language';

export type CheapTags = Pick<
  RecordTags,
  'language' | 'incomplete' | 'leaked_template' | 'response_repetition'
>;

/** What the cheap tags read. `language` given (an imported row names its own) is kept. */
export type TaggedText = Pick<PairRecord, 'instruction' | 'response'> & { language?: string };

/** The cheap tags of a record whose language is already known. */
export function cheapTags(record: Omit<TaggedText, 'language'>, language: string): CheapTags {
  return {
    language,
    incomplete: record.instruction.trimEnd().endsWith(':'),
    leaked_template:
      hasLeakedTemplateTokens(record.instruction) || hasLeakedTemplateTokens(record.response),
    response_repetition: repetition(record.response),
  };
}

/**
 * The cheap tags, the language detected where a record does not name it. Resolves once the
 * language detector has loaded (its data is fetched on the first call).
 */
export async function loadCheapTagger(): Promise<(record: TaggedText) => CheapTags> {
  const detect = await loadDetectLanguage();
  return (record) => cheapTags(record, record.language ?? detect(record.instruction));
}

/**
 * Share of word 4-grams that already occurred earlier in the text: ~0 for normal prose,
 * high for a model stuck in a loop. Words and 4-grams are hashed to numbers (no string
 * building): this runs on every stored and imported record. A rare hash collision moves
 * the ratio by a hair, which a repetition signal can afford.
 */
export function repetition(text: string, n = 4): number {
  const words = wordHashes(text.toLowerCase());
  const total = words.length - n + 1;
  if (total <= 1) return 0;
  const seen = new Set<number>();
  let repeated = 0;
  for (let i = 0; i < total; i++) {
    let h = FNV_OFFSET;
    for (let j = 0; j < n; j++) h = fnvStep(h, words[i + j]!);
    if (seen.has(h)) repeated++;
    else seen.add(h);
  }
  return Math.round((repeated / total) * 1000) / 1000;
}

/** FNV-1a hash of each whitespace-separated word. */
function wordHashes(text: string): number[] {
  const out: number[] = [];
  let h = FNV_OFFSET;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) {
      if (inWord) out.push(h >>> 0);
      h = FNV_OFFSET;
      inWord = false;
    } else {
      h = fnvStep(h, c);
      inWord = true;
    }
  }
  if (inWord) out.push(h >>> 0);
  return out;
}
