/**
 * Every field of a stored record, declared once: its JSON type, its label, and which files
 * carry it. The TypeScript types (record.ts), the export columns, the import checks, the
 * dataset card's Hugging Face `features`, the judge's tag list and the detail view's
 * metadata all derive from RECORD_FIELDS, so a field cannot mean one thing in one place
 * and another elsewhere.
 *
 * How to add a field:
 *   1. Add an entry to RECORD_FIELDS below, where you want it to appear in files and in
 *      the detail view (the order is the order of both). Use a Magpie release's own
 *      snake_case name if the releases have the field; app-only fields are camelCase.
 *   2. Give it a type built from the helpers (`string()`, `int()`, `float()`, `oneOf()`,
 *      `listOf()`, `struct()`; `app<T>()` for data that never leaves the app), whether a
 *      record may lack it (`optional`), and `files`: when an export writes it, in Magpie's
 *      format and in the chat formats (`'always'`, `'tags'`, `'genConfig'`, `'never'`).
 *      A file writes every column it carries in every row; a record without a value writes
 *      `null` (Hugging Face `datasets` infers one type per column from the first rows).
 *   3. If the detail view should show it differently from `String(value)`, give it `show`.
 *   4. Records are made by `newRecord` (record-factory.ts): set the value there or in the
 *      code that tags records later. Import reads it from files by itself (formats/schemas).
 * Nothing else needs to list the field. A field with an index or a backfill also needs a
 * Dexie schema version (store/db.ts).
 */

import type { CompletionUsage, FinishReason } from './engine';

// ---------------------------------------------------------------- types of values

/** A value's JSON type. `app` values are the app's own and never written to files. */
export type JsonType =
  | { kind: 'string'; values?: readonly string[] }
  | { kind: 'int' }
  | { kind: 'float' }
  | { kind: 'bool' }
  | { kind: 'list'; of: JsonType }
  | { kind: 'struct'; fields: Readonly<Record<string, AnyField>> }
  | { kind: 'app' };

/** A JSON type that also carries the TypeScript type of its values (phantom `T`). */
export type TypeSpec<T> = JsonType & { readonly __value?: T };

/** When an export writes a field: always, with the "tags" or "generation settings" option, or never. */
export type When = 'always' | 'tags' | 'genConfig' | 'never';

export interface FieldSpec<T = unknown> {
  type: TypeSpec<T>;
  /** Shown in the detail view; '' keeps it out of the list. */
  label: string;
  /** A record may lack it (then the stored key is absent, and a file writes null). */
  optional: boolean;
  /** Magpie format / the chat formats (ShareGPT, OpenAI messages, Alpaca) as extra fields. */
  files: { magpie: When; chat: When };
  /** The detail view's text for the value, when not `String(value)`; undefined hides the row. */
  show?: (value: T, record: Readonly<Record<string, unknown>>) => string | undefined;
}

/** Any field's declaration, whatever its value type. */
export interface AnyField {
  type: JsonType;
  label: string;
  optional: boolean;
  files: { magpie: When; chat: When };
  show?: (value: never, record: Readonly<Record<string, unknown>>) => string | undefined;
}

export const string = (): TypeSpec<string> => ({ kind: 'string' });
export const int = (): TypeSpec<number> => ({ kind: 'int' });
export const float = (): TypeSpec<number> => ({ kind: 'float' });
export const bool = (): TypeSpec<boolean> => ({ kind: 'bool' });
/** A string from a fixed set: a file's other values are not kept. */
export const oneOf = <V extends string>(values: readonly V[]): TypeSpec<V> => ({
  kind: 'string',
  values,
});
export const listOf = <T>(of: TypeSpec<T>): TypeSpec<T[]> => ({ kind: 'list', of });
export const struct = <S extends Record<string, AnyField>>(fields: S): TypeSpec<ValuesOf<S>> => ({
  kind: 'struct',
  fields,
});
/** The app's own data (run ids, usage, edits): typed in TypeScript, never in files. */
export const app = <T>(): TypeSpec<T> & { kind: 'app' } => ({ kind: 'app' });

type SpecValue<S> = S extends TypeSpec<infer T> ? T : never;

/** A field every record has; its value type is its type's. */
export const field = <S extends TypeSpec<unknown>>(
  type: S,
  label: string,
  files: FieldSpec['files'] | When,
  show?: FieldSpec<SpecValue<S>>['show'],
): FieldSpec<SpecValue<S>> & { type: S; optional: false } => ({
  type: type as S & TypeSpec<SpecValue<S>>,
  label,
  optional: false,
  files: typeof files === 'string' ? { magpie: files, chat: files } : files,
  ...(show && { show }),
});

/** A field a record may lack (most tags: a record gets them as jobs reach it). */
export const optional = <S extends TypeSpec<unknown>>(
  type: S,
  label: string,
  files: FieldSpec['files'] | When,
  show?: FieldSpec<SpecValue<S>>['show'],
): FieldSpec<SpecValue<S>> & { type: S; optional: true } => ({
  ...field(type, label, files, show),
  optional: true,
});

type ValueOfSpec<F> = F extends { type: TypeSpec<infer T> } ? T : never;
type OptionalKeys<S> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
/** The TypeScript object type a set of field declarations describes. */
export type ValuesOf<S> = {
  -readonly [K in Exclude<keyof S, OptionalKeys<S>>]: ValueOfSpec<S[K]>;
} & {
  -readonly [K in OptionalKeys<S>]?: ValueOfSpec<S[K]>;
};

// ---------------------------------------------------------------- vocabularies

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

export const REVIEW_STATUSES = ['unreviewed', 'kept', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const SPEAKERS = ['system', 'human', 'gpt'] as const;

// ---------------------------------------------------------------- nested structs

/** Sampling settings both steps share, in the released datasets' order. */
const samplingFields = {
  temperature: optional(float(), 'temperature', 'always'),
  top_p: optional(float(), 'top_p', 'always'),
};

/**
 * gen_input_configs: the releases carry temperature, top_p, input_generator, seed and
 * pre_query_template; the rest come with the "generation settings" option.
 */
export const INPUT_CONFIG_FIELDS = {
  ...samplingFields,
  input_generator: optional(string(), 'input generator', 'always'),
  seed: optional(int(), 'seed', 'always'),
  pre_query_template: optional(string(), 'pre-query template', 'always'),
  max_tokens: optional(int(), 'max tokens', 'genConfig'),
  repetition_penalty: optional(float(), 'repetition penalty', 'genConfig'),
  stop: optional(listOf(string()), 'stop', 'genConfig'),
};

export const RESPONSE_CONFIG_FIELDS = {
  ...samplingFields,
  max_tokens: optional(int(), 'max tokens', 'genConfig'),
  repetition_penalty: optional(float(), 'repetition penalty', 'genConfig'),
  seed: optional(int(), 'seed', 'genConfig'),
  post_query_template: optional(string(), 'post-query template', 'genConfig'),
  stop: optional(listOf(string()), 'stop', 'genConfig'),
};

export const TURN_FIELDS = {
  from: field(oneOf(SPEAKERS), 'from', 'always'),
  value: field(string(), 'value', 'always'),
};

/**
 * A judge answer that could not be used, kept with its raw text (exported with the tags
 * option, so a curator can act on failures outside the app too). Several failed tasks share
 * it: shared/tag-failure.ts encodes and decodes them.
 */
export const TAG_FAILURE_FIELDS = {
  task: field(string(), 'task', 'tags'),
  raw: field(string(), 'raw answer', 'tags'),
  error: field(string(), 'error', 'tags'),
  generator: field(string(), 'judge', 'tags'),
  at: field(int(), 'when', 'tags'),
};

/**
 * A preference run's record (record.preference): every sampled response with its judge
 * score; the record's `response` is the chosen one. Exported by the preference formats.
 */
export interface PreferenceData {
  responses: PreferenceResponse[];
  /** Indices into `responses`. */
  chosen: number;
  rejected: number;
  /** The model that scored the responses (the judge). */
  generator: string;
  /** The curator swapped chosen and rejected (the judge's choice was the other way). */
  swapped?: boolean;
}

export interface PreferenceResponse {
  text: string;
  seed: number;
  finish: FinishReason;
  usage?: CompletionUsage;
  /** Judge score 0..10 and its one-line reason; absent when not scored. */
  score?: number;
  reason?: string;
  /** Why it was not scored: a response drop rule, or the judge's unusable answer. */
  unscored?: string;
}

// ---------------------------------------------------------------- preference files

/** A chat message as TRL and the releases' preference sets write it. */
const MESSAGE_FIELDS = {
  role: field(oneOf(['system', 'user', 'assistant'] as const), 'role', 'always'),
  content: field(string(), 'content', 'always'),
};
const messages = () => listOf(struct(MESSAGE_FIELDS));

/**
 * The preference formats' own columns, written from a record's `preference` (never by the
 * Magpie or chat formats, hence 'never'): TRL's conversational preference format (`prompt`,
 * `chosen`, `rejected` as message lists) and the Magpie authors' released DPO sets
 * (`responses` with one score each, `chosen` / `rejected` as [user, assistant] messages).
 * The releases name their scores `rewards_armorm` after the reward model; here a judge
 * scores, so the column says so (`rewards_judge`, the judge in `judge_model`).
 */
export const PREFERENCE_COLUMNS = {
  prompt: field(messages(), '', 'never'),
  chosen: field(messages(), '', 'never'),
  rejected: field(messages(), '', 'never'),
  input_length: field(int(), '', 'never'),
  responses: field(listOf(string()), '', 'never'),
  rewards_judge: field(
    listOf(struct({ score: optional(float(), 'score', 'always') })),
    '',
    'never',
  ),
  judge_model: field(string(), '', 'never'),
};

/**
 * The chat formats' own columns that are not record fields: OpenAI's `messages` and the
 * Alpaca columns besides `instruction` (LLaMA-Factory's `system` included). ShareGPT's
 * `conversations` is the record's own field.
 */
export const FORMAT_COLUMNS = {
  messages: field(messages(), '', 'never'),
  input: field(string(), '', 'never'),
  output: field(string(), '', 'never'),
  system: field(string(), '', 'never'),
};

/**
 * A row's fields of an imported file that no format here declares, by name, as the file
 * held them (JSON values). Kept opaque and written back by an export.
 */
export type ExtraFields = Record<string, unknown>;

// ---------------------------------------------------------------- the record

const dash = (a: unknown, b: unknown) =>
  a ? `${String(a)}${b ? ` — ${String(b)}` : ''}` : undefined;
const sampling = (c: Partial<Record<string, unknown>> | undefined) =>
  (['temperature', 'top_p', 'max_tokens', 'seed'] as const)
    .filter((k) => c?.[k] !== undefined && c[k] !== null)
    .map((k) => `${k === 'max_tokens' ? 'max tokens' : k} ${String(c![k])}`)
    .join(', ');

/**
 * A record's fields in the order Magpie's releases write them (the app's own after).
 * The types of `engine`, `finish`, `usage` and the two configs differ between generated
 * and imported records: record.ts narrows them into the two kinds of record.
 */
export const RECORD_FIELDS = {
  uuid: field(string(), 'uuid', { magpie: 'always', chat: 'tags' }),
  model: field(string(), 'model', { magpie: 'always', chat: 'genConfig' }),
  engine: field(app<string>(), 'engine', 'never'),
  createdAt: field(app<number>(), 'created', 'never', (at) => new Date(at).toLocaleString()),
  datasetId: field(app<string>(), '', 'never'),
  runId: field(app<string>(), 'run', 'never'),
  gen_input_configs: field(
    struct(INPUT_CONFIG_FIELDS),
    'instruction sampling',
    { magpie: 'always', chat: 'genConfig' },
    sampling,
  ),
  gen_response_configs: field(
    struct(RESPONSE_CONFIG_FIELDS),
    'response sampling',
    'genConfig',
    sampling,
  ),
  instruction: field(string(), '', { magpie: 'always', chat: 'never' }),
  response: field(string(), '', { magpie: 'always', chat: 'never' }),
  conversations: field(listOf(struct(TURN_FIELDS)), '', { magpie: 'always', chat: 'never' }),
  task_category: optional(
    oneOf(TASK_CATEGORIES),
    'task category',
    { magpie: 'always', chat: 'tags' },
    (c, r) => [c, ...((r.other_task_category as string[] | undefined) ?? [])].join(', '),
  ),
  other_task_category: optional(listOf(oneOf(TASK_CATEGORIES)), '', {
    magpie: 'always',
    chat: 'tags',
  }),
  task_category_generator: optional(string(), '', { magpie: 'always', chat: 'tags' }),
  difficulty: optional(oneOf(DIFFICULTIES), 'difficulty', { magpie: 'always', chat: 'tags' }),
  intent: optional(string(), 'intent', { magpie: 'always', chat: 'tags' }),
  knowledge: optional(string(), 'knowledge', { magpie: 'always', chat: 'tags' }),
  difficulty_generator: optional(string(), '', { magpie: 'always', chat: 'tags' }),
  input_quality: optional(
    oneOf(INPUT_QUALITIES),
    'input quality',
    { magpie: 'always', chat: 'tags' },
    (q, r) => dash(q, r.quality_explanation),
  ),
  quality_explanation: optional(string(), '', { magpie: 'always', chat: 'tags' }),
  quality_generator: optional(string(), '', { magpie: 'always', chat: 'tags' }),
  // The releases' safety and reward scores (Llama Guard 2, the authors' reward model):
  // kept from a file, so their own filter (instruct_reward > -10) can run after import.
  llama_guard_2: optional(string(), 'Llama Guard 2', { magpie: 'always', chat: 'tags' }),
  reward_model: optional(string(), 'reward model', { magpie: 'always', chat: 'tags' }),
  instruct_reward: optional(float(), 'instruct reward', { magpie: 'always', chat: 'tags' }),
  min_neighbor_distance: optional(float(), 'nearest neighbour distance', {
    magpie: 'always',
    chat: 'tags',
  }),
  repeat_count: optional(int(), 'repeats', { magpie: 'always', chat: 'tags' }),
  min_similar_uuid: optional(string(), 'most similar', { magpie: 'always', chat: 'tags' }),
  instruction_length: field(
    int(),
    'lengths (chars)',
    { magpie: 'always', chat: 'never' },
    (n, r) => `instruction ${n}, response ${String(r.response_length)}`,
  ),
  response_length: field(int(), '', { magpie: 'always', chat: 'never' }),
  language: optional(string(), 'language', { magpie: 'always', chat: 'tags' }),
  // Domain and language control (run settings): what the pair was asked for. The system
  // prompt is also inside gen_input_configs.pre_query_template, rendered by the template.
  system_prompt: optional(string(), 'system prompt', 'tags'),
  target_language: optional(string(), 'target language', 'tags'),

  // The app's own, exported with the "tags" option.
  review: field(oneOf(REVIEW_STATUSES), '', 'tags'),
  response_score: optional(
    float(),
    'response score',
    'tags',
    (s, r) => `${s}${r.response_score_reason ? ` — ${String(r.response_score_reason)}` : ''}`,
  ),
  response_score_reason: optional(string(), '', 'tags'),
  response_score_generator: optional(string(), '', 'tags'),
  incomplete: optional(bool(), 'ends with ":"', 'tags'),
  leaked_template: optional(bool(), 'template tokens leaked', 'tags'),
  response_repetition: optional(float(), 'response repetition', 'tags'),
  tag_failure: optional(
    struct(TAG_FAILURE_FIELDS),
    'judge failure',
    'tags',
    (f) => `${f.task}: ${f.error}`,
  ),

  // The app's own, never in files.
  instructionRaw: field(app<string>(), '', 'never'),
  finish: field(
    app<{ instruction: string; response: string }>(),
    'finish',
    'never',
    (f) => `instruction ${f.instruction}, response ${f.response}`,
  ),
  usage: optional(
    app<{ instruction: { completionTokens?: number }; response: { completionTokens?: number } }>(),
    'tokens',
    'never',
    (u) =>
      `instruction ${u.instruction.completionTokens ?? '?'}, response ${u.response.completionTokens ?? '?'}`,
  ),
  edited: optional(
    app<{ instruction?: string; response?: string; at: number }>(),
    'edited',
    'never',
    (e) => new Date(e.at).toLocaleString(),
  ),
  // A preference run's k responses and scores; the detail view shows them side by side,
  // the preference exports write them.
  preference: optional(app<PreferenceData>(), '', 'never'),
  // An imported row's fields the app has no slot for: carried to every export as the
  // row's own keys (to-row.ts), never read by the app.
  fileExtras: optional(app<ExtraFields>(), 'other fields in the file', 'never', (extras) =>
    Object.keys(extras).join(', '),
  ),
};

/** Every column a file can hold, declared: record fields, preference and format columns. */
export const FILE_COLUMNS: Readonly<Record<string, AnyField>> = {
  ...RECORD_FIELDS,
  ...PREFERENCE_COLUMNS,
  ...FORMAT_COLUMNS,
};

export type RecordFieldName = keyof typeof RECORD_FIELDS;
/** Fields holding the app's own data, never written to files. */
export type AppFieldName = {
  [K in RecordFieldName]: (typeof RECORD_FIELDS)[K]['type'] extends { kind: 'app' } ? K : never;
}[RecordFieldName];
/** Every declared field's value type, before record.ts narrows the generated/imported ones. */
export type DeclaredRecord = ValuesOf<typeof RECORD_FIELDS>;

/** The detail view's rows: label and text of each field the record holds, in schema order. */
export function describeFields(record: object): [string, string][] {
  const r = record as Record<string, unknown>;
  const rows: [string, string][] = [];
  for (const name of Object.keys(RECORD_FIELDS) as RecordFieldName[]) {
    const spec: AnyField = RECORD_FIELDS[name];
    const value = r[name];
    if (!spec.label || value === undefined || value === null) continue;
    const show = spec.show as FieldSpec['show'];
    const text = show ? show(value, r) : String(value);
    if (text !== undefined && text !== '') rows.push([spec.label, text]);
  }
  return rows;
}
