import type { CompletionUsage, EngineConfig, FinishReason } from './engine';

/**
 * One stored pair. Field names follow Magpie's released datasets where a field
 * exists there (snake_case); what the app adds for curation is camelCase.
 */
export interface PairRecord extends RecordTags {
  uuid: string;
  datasetId: string;
  runId: string;
  createdAt: number;
  /** 'unknown' for imported records: a file does not say what made them. */
  engine: EngineConfig['kind'] | 'unknown';

  model: string;
  gen_input_configs: GenInputConfig;
  gen_response_configs: GenResponseConfig;
  instruction: string;
  response: string;
  conversations: Turn[];
  /** Characters. */
  instruction_length: number;
  response_length: number;

  /** The instruction as the model wrote it, before cleaning. */
  instructionRaw: string;
  finish: { instruction: RecordFinish; response: RecordFinish };
  /** What the engine measured; absent for imported records. */
  usage?: { instruction: StepUsage; response: StepUsage };
  review: ReviewStatus;
  /** The user's edits; `instruction`/`response` above keep the original text. */
  edited?: { instruction?: string; response?: string; at: number };
}

/**
 * Tags, in Magpie's released field names where they exist. All optional: a record
 * gets them as the quality jobs reach it (cheap tags when stored, the rest later).
 */
export interface RecordTags {
  // Cheap tags, computed when the record is stored (no model).
  /** ISO 639-1 code of the instruction, '' when undetermined. */
  language?: string;
  /** The instruction ends with ':' (the authors drop these as incomplete). */
  incomplete?: boolean;
  /** Chat-template tokens appear in the instruction or response. */
  leaked_template?: boolean;
  /** Share (0..1) of the response's word 4-grams that repeat an earlier one. */
  response_repetition?: number;

  // Near-duplicates over the dataset.
  min_neighbor_distance?: number;
  repeat_count?: number;
  min_similar_uuid?: string;

  // LLM-as-judge tags.
  task_category?: TaskCategory;
  other_task_category?: TaskCategory[];
  task_category_generator?: string;
  input_quality?: InputQuality;
  quality_explanation?: string;
  quality_generator?: string;
  difficulty?: Difficulty;
  intent?: string;
  knowledge?: string;
  difficulty_generator?: string;
  /** Judge score of the response, 0..10, with a one-line reason. */
  response_score?: number;
  response_score_reason?: string;
  response_score_generator?: string;
  /** A judge answer that could not be used, kept with its raw text. */
  tag_failure?: { task: string; raw: string; error: string; generator: string; at: number };
}

export const TASK_CATEGORIES = [
  'Information seeking',
  'Reasoning',
  'Planning',
  'Editing',
  'Coding & Debugging',
  'Math',
  'Role playing',
  'Data analysis',
  'Creative writing',
  'Advice seeking',
  'Brainstorming',
  'Others',
] as const;
export type TaskCategory = (typeof TASK_CATEGORIES)[number];

export const INPUT_QUALITIES = ['very poor', 'poor', 'average', 'good', 'excellent'] as const;
export type InputQuality = (typeof INPUT_QUALITIES)[number];

export const DIFFICULTIES = ['very easy', 'easy', 'medium', 'hard', 'very hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export type ReviewStatus = 'unreviewed' | 'kept' | 'rejected';

export interface Turn {
  from: 'system' | 'human' | 'gpt';
  value: string;
}

export interface GenInputConfig {
  temperature: number;
  top_p: number;
  max_tokens: number;
  repetition_penalty: number;
  input_generator: string;
  seed: number;
  pre_query_template: string;
  stop: string[];
}

export interface GenResponseConfig {
  temperature: number;
  top_p: number;
  max_tokens: number;
  repetition_penalty: number;
  seed: number;
  post_query_template: string;
  stop: string[];
}

/** What the engine measured for one step. */
export type StepUsage = CompletionUsage;

/** How a step ended; 'unknown' for imported records (the file does not say). */
export type RecordFinish = FinishReason | 'unknown';

export interface Dataset {
  id: string;
  name: string;
  createdAt: number;
}
