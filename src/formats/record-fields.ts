/**
 * The record fields that travel in files besides the conversation, in Magpie's released
 * names where they exist: which ones a row carries, and which values are really known.
 * Imported records may lack generation settings; those stay absent, never made up.
 */
import type { PairRecord } from '../shared/record';

/** Magpie's judge and near-duplicate tags, in the released datasets' order. */
export const MAGPIE_TAG_FIELDS = [
  'task_category',
  'other_task_category',
  'task_category_generator',
  'difficulty',
  'intent',
  'knowledge',
  'difficulty_generator',
  'input_quality',
  'quality_explanation',
  'quality_generator',
  'min_neighbor_distance',
  'repeat_count',
  'min_similar_uuid',
] as const;

/** The app's own tags, exported with the "tags" option. */
export const APP_TAG_FIELDS = [
  'review',
  'response_score',
  'response_score_reason',
  'response_score_generator',
  'incomplete',
  'leaked_template',
  'response_repetition',
] as const;

/** gen_input_configs fields the released datasets have; the rest come with "generation config". */
export const MAGPIE_INPUT_CONFIG_FIELDS = [
  'temperature',
  'top_p',
  'input_generator',
  'seed',
  'pre_query_template',
] as const;
export const EXTRA_INPUT_CONFIG_FIELDS = ['max_tokens', 'repetition_penalty', 'stop'] as const;
export const RESPONSE_CONFIG_FIELDS = [
  'temperature',
  'top_p',
  'max_tokens',
  'repetition_penalty',
  'seed',
  'post_query_template',
  'stop',
] as const;

/** The model of a record whose file named none. */
export const UNKNOWN_MODEL = 'unknown';

const present = (value: unknown) =>
  value !== undefined && value !== null && !(typeof value === 'number' && Number.isNaN(value));

/** The named fields of `source` that hold a value, in the given order. */
export function pick<T extends object>(
  source: T | undefined,
  fields: readonly (keyof T & string)[],
): Partial<T> | undefined {
  if (!source) return undefined;
  const out: Record<string, unknown> = {};
  let any = false;
  for (const field of fields) {
    const value = (source as Record<string, unknown>)[field];
    if (present(value)) {
      out[field] = value;
      any = true;
    }
  }
  return any ? (out as Partial<T>) : undefined;
}

/** Copies the named fields that hold a value onto `row`. */
export function copyPresent(
  row: Record<string, unknown>,
  source: object,
  fields: readonly string[],
): void {
  for (const field of fields) {
    const value = (source as Record<string, unknown>)[field];
    if (present(value)) row[field] = value;
  }
}

export function inputConfigOf(record: PairRecord, full: boolean) {
  return pick(
    record.gen_input_configs,
    full
      ? [...MAGPIE_INPUT_CONFIG_FIELDS, ...EXTRA_INPUT_CONFIG_FIELDS]
      : MAGPIE_INPUT_CONFIG_FIELDS,
  );
}

export function responseConfigOf(record: PairRecord) {
  return pick(record.gen_response_configs, RESPONSE_CONFIG_FIELDS);
}

export function knownModel(record: PairRecord): string | undefined {
  return record.model && record.model !== UNKNOWN_MODEL ? record.model : undefined;
}
