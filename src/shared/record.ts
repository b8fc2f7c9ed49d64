import type { CompletionUsage, EngineConfig, FinishReason } from './engine';

import type {
  DeclaredRecord,
  INPUT_CONFIG_FIELDS,
  RESPONSE_CONFIG_FIELDS,
  TURN_FIELDS,
  ValuesOf,
} from './record-schema';

export {
  DIFFICULTIES,
  INPUT_QUALITIES,
  TASK_CATEGORIES,
  type InputQuality,
  type PreferenceResponse,
  type ReviewStatus,
  type TaskCategory,
} from './record-schema';

/**
 * One stored pair: a record this app generated, or one imported from a file. Their fields
 * are declared once in record-schema.ts (names follow Magpie's released datasets where a
 * field exists there, snake_case; what the app adds is camelCase); the two kinds differ in
 * what is known about how they were made.
 */
export type PairRecord = GeneratedRecord | ImportedRecord;

/** The fields both kinds share, typed from the schema. */
type Narrowed = 'engine' | 'finish' | 'usage' | 'gen_input_configs' | 'gen_response_configs';
type CommonFields = Omit<DeclaredRecord, Narrowed>;

/** A pair this app generated: the engine, how each step ended and what it measured. */
export interface GeneratedRecord extends CommonFields {
  engine: EngineConfig['kind'];
  gen_input_configs: GenInputConfig;
  gen_response_configs: GenResponseConfig;
  finish: { instruction: FinishReason; response: FinishReason };
  usage: { instruction: StepUsage; response: StepUsage };
}

/**
 * A pair read from a file: what made it is unknown, never invented; its generation
 * settings are only those the file named (often none).
 */
export interface ImportedRecord extends CommonFields {
  engine: 'unknown';
  gen_input_configs: Partial<GenInputConfig>;
  gen_response_configs: Partial<GenResponseConfig>;
  finish: { instruction: 'unknown'; response: 'unknown' };
  usage?: undefined;
}

/** Tags: every optional field of the record except the app's edit and usage. */
export type RecordTags = Omit<
  Pick<DeclaredRecord, OptionalKeysOf<DeclaredRecord>>,
  'usage' | 'edited'
>;
type OptionalKeysOf<T> = {
  [K in keyof T]-?: undefined extends T[K] ? K : never;
}[keyof T];

export type Turn = ValuesOf<typeof TURN_FIELDS>;

/** A generated record's settings: all of them, as the run used them. */
export type GenInputConfig = Required<ValuesOf<typeof INPUT_CONFIG_FIELDS>>;
export type GenResponseConfig = Required<ValuesOf<typeof RESPONSE_CONFIG_FIELDS>>;

/** What the engine measured for one step. */
export type StepUsage = CompletionUsage;

export interface Dataset {
  id: string;
  name: string;
  createdAt: number;
  /**
   * Names of the extra fields (record.fileExtras) its imports brought, in first-seen order.
   * Every row of an export carries all of them, so an export knows its columns before the
   * first row without reading the records twice.
   */
  extraFields?: string[];
}
