/**
 * One record as one JSONL row of each export format. The base rows hold exactly what the
 * format's documentation names, so trainers load them as they are; tags and generation
 * settings are extra fields, only when asked for. Every row of a file carries the same
 * keys (the format's and the options' columns): a record without a value writes null, a
 * struct writes every member the options carry. Loaders that infer one type per column
 * (pyarrow, Hugging Face `datasets`) then read every row alike.
 */
import type { ExportOptions } from '../shared/transfer-api';
import type { PairRecord, Turn } from '../shared/record';
import { conversationOf, isMultiTurn, pairText } from './conversation';
import {
  FILE_COLUMNS,
  RECORD_FIELDS,
  type AnyField,
  type RecordFieldName,
} from '../shared/record-schema';
import { carriedBy, fieldsFor, knownModel, type Carried } from './record-fields';
import { objectJson } from './json-line';

export type RowOutcome = { ok: true; row: Record<string, unknown> } | { ok: false; reason: string };

/** ShareGPT's speakers as OpenAI / TRL roles. */
export const ROLE_OF = { system: 'system', human: 'user', gpt: 'assistant' } as const;

/** The export's options, and the dataset's extra field names (Dataset.extraFields). */
export type RowOptions = ExportOptions & { extraFields?: readonly string[] };

export function toRow(record: PairRecord, options: RowOptions): RowOutcome {
  const out = formatRow(record, options);
  if (out.ok && options.extraFields) withFileExtras(out.row, record, options.extraFields);
  return out;
}

/**
 * An imported file's extra fields after the format's own, as the row's own keys: each of
 * the dataset's extra names in every row (null where this record's file had no such field),
 * so a loader sees the same keys in every row. Extra names are never declared columns
 * (from-row.ts), so they cannot clobber one.
 */
function withFileExtras(
  row: Record<string, unknown>,
  record: PairRecord,
  names: readonly string[],
): void {
  const extras = record.fileExtras;
  for (const name of names) if (!(name in row)) row[name] = extras?.[name] ?? null;
}

function formatRow(record: PairRecord, options: ExportOptions): RowOutcome {
  switch (options.format) {
    case 'magpie':
      return { ok: true, row: magpieRow(record, options) };
    case 'sharegpt':
      return withExtras({ conversations: conversationOf(record, options) }, record, options);
    case 'openai':
      return withExtras(
        {
          messages: conversationOf(record, options).map((t) => ({
            role: ROLE_OF[t.from],
            content: t.value,
          })),
        },
        record,
        options,
      );
    case 'alpaca':
      return alpacaRow(record, options);
    case 'trl-preference':
      return trlPreferenceRow(record, options);
    case 'magpie-preference':
      return magpiePreferenceRow(record, options);
  }
}

/** A row as its JSON line: every column by its declared type (floats as floats). */
export function rowJson(row: Readonly<Record<string, unknown>>): string {
  return objectJson(row, FILE_COLUMNS);
}

/** What the options carry, as every row asks for it: found once per combination of options. */
interface CarriedFields {
  carried: Carried;
  magpie: readonly RecordFieldName[];
  chat: readonly RecordFieldName[];
  /** Each struct's members the options carry, by the struct's declared fields. */
  members: Map<object, readonly string[]>;
}
const carriedFields = new Map<string, CarriedFields>();

function carriedOf(options: Pick<ExportOptions, 'tags' | 'genConfig'>): CarriedFields {
  const key = `${!!options.tags},${!!options.genConfig}`;
  let found = carriedFields.get(key);
  if (!found) {
    const carried = carriedBy(options);
    found = {
      carried,
      magpie: fieldsFor('magpie', carried),
      chat: fieldsFor('chat', carried),
      members: new Map(),
    };
    carriedFields.set(key, found);
  }
  return found;
}

/** The released datasets' fields, in their order; null where the record has no value. */
function magpieRow(record: PairRecord, options: ExportOptions): Record<string, unknown> {
  // Magpie keeps the system prompt in pre_query_template; a system turn only when the
  // conversation itself has one (an imported record).
  const ownSystem = record.conversations?.some((t) => t.from === 'system') ?? false;
  const turns = conversationOf(record, { text: options.text, systemPrompt: ownSystem });
  const text = pairText(record, options.text);
  const carried = carriedOf(options);
  const row: Record<string, unknown> = {};
  for (const name of carried.magpie) {
    switch (name) {
      case 'instruction':
      case 'response':
        row[name] = text[name];
        break;
      case 'conversations':
        row.conversations = turns;
        break;
      case 'instruction_length':
        row.instruction_length = text.instruction.length;
        break;
      case 'response_length':
        row.response_length = text.response.length;
        break;
      default:
        row[name] = fileValue(record, name, carried);
    }
  }
  return row;
}

const known = (value: unknown) =>
  value === undefined || (typeof value === 'number' && Number.isNaN(value)) ? null : value;

/** A declared field's value as files write it: null when the record does not know it. */
function fileValue(record: PairRecord, name: RecordFieldName, carried: CarriedFields): unknown {
  const type = RECORD_FIELDS[name].type;
  const value = (record as unknown as Record<string, unknown>)[name];
  if (name === 'model') return knownModel(record) ?? null;
  // '' is the language detector's "undetermined": no language.
  if (name === 'language') return record.language || null;
  // A record without an optional struct (no tag failure) writes null, not a struct of
  // nulls: the struct is absent, not a value whose members are unknown.
  if (type.kind === 'struct')
    return value == null && RECORD_FIELDS[name].optional
      ? null
      : structValue(value, type.fields, carried);
  return known(value) ?? null;
}

/** Every member the options carry, null where unknown (an imported record's settings). */
function structValue(
  value: unknown,
  fields: Readonly<Record<string, AnyField>>,
  carried: CarriedFields,
): Record<string, unknown> {
  let members = carried.members.get(fields);
  if (!members) {
    members = Object.keys(fields).filter((name) => carried.carried(fields[name]!.files.magpie));
    carried.members.set(fields, members);
  }
  const source = (value ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of members) out[name] = known(source[name]) ?? null;
  return out;
}

function alpacaRow(record: PairRecord, options: ExportOptions): RowOutcome {
  if (isMultiTurn(record)) {
    return { ok: false, reason: 'multi-turn: Alpaca holds one instruction and one output' };
  }
  const turns = conversationOf(record, options);
  const row: Record<string, unknown> = {
    instruction: valueOf(turns, 'human'),
    input: '',
    output: valueOf(turns, 'gpt'),
  };
  // Asked for, the column is in every row: '' where there is no system prompt, as
  // LLaMA-Factory's Alpaca reader takes an empty system for none.
  if (options.systemPrompt) row.system = turns[0]?.from === 'system' ? turns[0].value : '';
  return withExtras(row, record, options);
}

function valueOf(turns: Turn[], from: Turn['from']): string {
  return turns.find((t) => t.from === from)?.value ?? '';
}

/** Tags and generation settings after the format's own fields, in Magpie's names. */
function withExtras(
  row: Record<string, unknown>,
  record: PairRecord,
  options: ExportOptions,
): RowOutcome {
  const carried = carriedOf(options);
  for (const name of carried.chat) row[name] = fileValue(record, name, carried);
  return { ok: true, row };
}

type Message = { role: (typeof ROLE_OF)[keyof typeof ROLE_OF]; content: string };

/**
 * A preference record's prompt (the system message when asked for, then the instruction)
 * and its chosen and rejected answers, as exported: the chosen answer is the record's
 * response, so the curator's edit of it applies; the rejected one is as the model wrote it.
 */
function preferencePair(
  record: PairRecord,
  options: ExportOptions,
):
  | { ok: true; prompt: Message[]; chosen: string; rejected: string }
  | { ok: false; reason: string } {
  const p = record.preference;
  if (!p) return { ok: false, reason: 'not a preference record: one response, nothing to prefer' };
  const turns = conversationOf(record, options);
  const prompt: Message[] = [];
  for (const t of turns) {
    if (t.from === 'gpt') break;
    prompt.push({ role: ROLE_OF[t.from], content: t.value });
  }
  return {
    ok: true,
    prompt,
    chosen: valueOf(turns, 'gpt'),
    rejected: p.responses[p.rejected]?.text ?? '',
  };
}

const assistant = (content: string): Message[] => [{ role: 'assistant', content }];

/** TRL's conversational preference format with an explicit prompt. */
function trlPreferenceRow(record: PairRecord, options: ExportOptions): RowOutcome {
  const pair = preferencePair(record, options);
  if (!pair.ok) return pair;
  return withExtras(
    { prompt: pair.prompt, chosen: assistant(pair.chosen), rejected: assistant(pair.rejected) },
    record,
    options,
  );
}

/**
 * The Magpie authors' released DPO sets (Magpie-Pro-DPO-100K and kin): the instruction with
 * its tags, all k responses with a score each (null where a response was dropped or could
 * not be scored), and chosen / rejected as [user, assistant] message lists.
 */
function magpiePreferenceRow(record: PairRecord, options: ExportOptions): RowOutcome {
  const pair = preferencePair(record, options);
  if (!pair.ok) return pair;
  const p = record.preference!;
  const carried = carriedOf(options);
  const instruction = pairText(record, options.text).instruction;
  const row: Record<string, unknown> = {
    uuid: record.uuid,
    instruction,
    gen_input_configs: fileValue(record, 'gen_input_configs', carried),
    intent: fileValue(record, 'intent', carried),
    knowledge: fileValue(record, 'knowledge', carried),
    difficulty: fileValue(record, 'difficulty', carried),
    input_quality: fileValue(record, 'input_quality', carried),
    quality_explanation: fileValue(record, 'quality_explanation', carried),
    task_category: fileValue(record, 'task_category', carried),
    input_length: instruction.length,
    responses: p.responses.map((r) => r.text),
    gen_response_configs: fileValue(record, 'gen_response_configs', carried),
    rewards_judge: p.responses.map((r) => ({ score: r.score ?? null })),
    judge_model: p.generator,
    chosen: [...pair.prompt, ...assistant(pair.chosen)],
    rejected: [...pair.prompt, ...assistant(pair.rejected)],
  };
  // The options' other fields after the release's own.
  for (const name of carried.chat) if (!(name in row)) row[name] = fileValue(record, name, carried);
  return { ok: true, row };
}
