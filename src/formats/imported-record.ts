/**
 * A stored record made from an imported row. What the file says is kept (model, generation
 * settings, tags, review status); what it does not say stays unknown rather than invented:
 * no engine, no finish reason, no usage, only the generation settings the file names.
 */
import type { CheapTags } from '../quality/cheap-tags';
import {
  DIFFICULTIES,
  INPUT_QUALITIES,
  TASK_CATEGORIES,
  type GenInputConfig,
  type GenResponseConfig,
  type PairRecord,
  type ReviewStatus,
} from '../shared/record';
import { REVIEW_STATUSES } from '../shared/transfer-api';
import type { ParsedRow } from './from-row';
import {
  EXTRA_INPUT_CONFIG_FIELDS,
  MAGPIE_INPUT_CONFIG_FIELDS,
  pick,
  RESPONSE_CONFIG_FIELDS,
  UNKNOWN_MODEL,
} from './record-fields';

/** The first user turn and reply: what cheap tags and duplicate checks look at. */
export function pairOf(turns: ParsedRow['turns']): { instruction: string; response: string } {
  return {
    instruction: turns.find((t) => t.from === 'human')?.value ?? '',
    response: turns.find((t) => t.from === 'gpt')?.value ?? '',
  };
}

export interface ImportPlace {
  uuid: string;
  datasetId: string;
  runId: string;
  createdAt: number;
}

const UNKNOWN_FINISH = { instruction: 'unknown', response: 'unknown' } as const;

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined;

export function importedRecord(parsed: ParsedRow, place: ImportPlace, tags: CheapTags): PairRecord {
  const { turns, meta } = parsed;
  const { instruction, response } = pairOf(turns);
  const record: PairRecord = {
    ...place,
    engine: 'unknown',
    model: meta.model || meta.gen_input_configs?.input_generator || UNKNOWN_MODEL,
    gen_input_configs: (pick(meta.gen_input_configs ?? undefined, [
      ...MAGPIE_INPUT_CONFIG_FIELDS,
      ...EXTRA_INPUT_CONFIG_FIELDS,
    ]) ?? {}) as GenInputConfig,
    gen_response_configs: (pick(meta.gen_response_configs ?? undefined, RESPONSE_CONFIG_FIELDS) ??
      {}) as GenResponseConfig,
    instruction,
    response,
    conversations: turns,
    instruction_length: instruction.length,
    response_length: response.length,
    // The text as it arrived: the file is the earliest version the app knows.
    instructionRaw: instruction,
    finish: { ...UNKNOWN_FINISH },
    review: oneOf<ReviewStatus>(REVIEW_STATUSES, meta.review) ?? 'unreviewed',
    ...tags,
  };
  copyTags(record, meta);
  return record;
}

/** Tags the file carries win over computed ones; unknown category names are left out. */
function copyTags(record: PairRecord, meta: ParsedRow['meta']): void {
  const set = <K extends keyof PairRecord>(key: K, value: PairRecord[K] | null | undefined) => {
    if (value !== undefined && value !== null) record[key] = value;
  };
  set('task_category', oneOf(TASK_CATEGORIES, meta.task_category));
  const others = meta.other_task_category?.filter((c) => oneOf(TASK_CATEGORIES, c));
  if (others) record.other_task_category = others as PairRecord['other_task_category'];
  set('task_category_generator', meta.task_category_generator);
  set('difficulty', oneOf(DIFFICULTIES, meta.difficulty));
  set('intent', meta.intent);
  set('knowledge', meta.knowledge);
  set('difficulty_generator', meta.difficulty_generator);
  set('input_quality', oneOf(INPUT_QUALITIES, meta.input_quality));
  set('quality_explanation', meta.quality_explanation);
  set('quality_generator', meta.quality_generator);
  set('min_neighbor_distance', meta.min_neighbor_distance);
  set('repeat_count', meta.repeat_count);
  set('min_similar_uuid', meta.min_similar_uuid);
  set('language', meta.language);
  set('response_score', meta.response_score);
  set('response_score_reason', meta.response_score_reason);
  set('response_score_generator', meta.response_score_generator);
  set('incomplete', meta.incomplete);
  set('leaked_template', meta.leaked_template);
  set('response_repetition', meta.response_repetition);
}
