/**
 * One record as one JSONL row of each export format. The base rows hold exactly what the
 * format's documentation names, so trainers load them as they are; tags and generation
 * settings are extra fields, only when asked for.
 */
import type { ExportOptions } from '../shared/transfer-api';
import type { PairRecord, Turn } from '../shared/record';
import { conversationOf, isMultiTurn, pairText } from './conversation';
import type { RecordFieldName } from '../shared/record-schema';
import {
  carriedBy,
  copyPresent,
  fieldsFor,
  inputConfigOf,
  knownModel,
  responseConfigOf,
} from './record-fields';

export type RowOutcome = { ok: true; row: Record<string, unknown> } | { ok: false; reason: string };

/** ShareGPT's speakers as OpenAI / TRL roles. */
export const ROLE_OF = { system: 'system', human: 'user', gpt: 'assistant' } as const;

export function toRow(record: PairRecord, options: ExportOptions): RowOutcome {
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
  }
}

/** The released datasets' fields, in their order; tags the record lacks are left out. */
function magpieRow(record: PairRecord, options: ExportOptions): Record<string, unknown> {
  // Magpie keeps the system prompt in pre_query_template; a system turn only when the
  // conversation itself has one (an imported record).
  const ownSystem = record.conversations?.some((t) => t.from === 'system') ?? false;
  const turns = conversationOf(record, { text: options.text, systemPrompt: ownSystem });
  const text = pairText(record, options.text);
  const row: Record<string, unknown> = {};
  for (const name of fieldsFor('magpie', carriedBy(options))) {
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
        copyField(row, record, name, options);
    }
  }
  return row;
}

/** A declared field's value as files write it; left out when the record does not know it. */
function copyField(
  row: Record<string, unknown>,
  record: PairRecord,
  name: RecordFieldName,
  options: ExportOptions,
): void {
  let value: unknown;
  if (name === 'model') value = knownModel(record);
  else if (name === 'gen_input_configs') value = inputConfigOf(record, options.genConfig);
  else if (name === 'gen_response_configs') value = responseConfigOf(record);
  // '' is the detector's "undetermined": no language.
  else if (name === 'language') value = record.language || undefined;
  else return copyPresent(row, record, [name]);
  if (value !== undefined) row[name] = value;
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
  const system = turns[0]?.from === 'system' ? turns[0].value : undefined;
  if (system) row.system = system;
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
  for (const name of fieldsFor('chat', carriedBy(options))) copyField(row, record, name, options);
  return { ok: true, row };
}
