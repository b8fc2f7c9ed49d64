/**
 * One record as one JSONL row of each export format. The base rows hold exactly what the
 * format's documentation names, so trainers load them as they are; tags and generation
 * settings are extra fields, only when asked for.
 */
import type { ExportOptions } from '../shared/transfer-api';
import type { PairRecord, Turn } from '../shared/record';
import { conversationOf, isMultiTurn, pairText } from './conversation';
import {
  APP_TAG_FIELDS,
  copyPresent,
  inputConfigOf,
  knownModel,
  MAGPIE_TAG_FIELDS,
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
  const { instruction, response } = pairText(record, options.text);
  const row: Record<string, unknown> = { uuid: record.uuid };
  const model = knownModel(record);
  if (model) row.model = model;
  const input = inputConfigOf(record, options.genConfig);
  if (input) row.gen_input_configs = input;
  if (options.genConfig) {
    const response = responseConfigOf(record);
    if (response) row.gen_response_configs = response;
  }
  row.instruction = instruction;
  row.response = response;
  row.conversations = turns;
  copyPresent(row, record, MAGPIE_TAG_FIELDS);
  row.instruction_length = instruction.length;
  row.response_length = response.length;
  if (record.language) row.language = record.language;
  if (options.tags) copyPresent(row, record, APP_TAG_FIELDS);
  return row;
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
  if (options.genConfig) {
    const model = knownModel(record);
    if (model) row.model = model;
    const input = inputConfigOf(record, true);
    if (input) row.gen_input_configs = input;
    const response = responseConfigOf(record);
    if (response) row.gen_response_configs = response;
  }
  if (options.tags) {
    row.uuid = record.uuid;
    copyPresent(row, record, MAGPIE_TAG_FIELDS);
    if (record.language) row.language = record.language;
    copyPresent(row, record, APP_TAG_FIELDS);
  }
  return { ok: true, row };
}
