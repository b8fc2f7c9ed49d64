/**
 * The conversation a record stands for, as every export format writes it: the curator's
 * edits or the original text, and the system prompt when asked for. Kept in one place so
 * the four formats cannot disagree about what a record says.
 */
import type { PairRecord, Turn } from '../shared/record';
import { turnCount, recordTurns } from '../shared/turns';

export interface ConversationOptions {
  text: 'edited' | 'original';
  systemPrompt: boolean;
}

/**
 * The system text a pre-query template carries, found by the chat formats' own markers:
 * ChatML (Qwen, SmolLM2, Hermes), Llama-3 headers, and Phi-3 / Tulu (OLMo-2) tags. Parsing
 * rather than looking the template up in the family table also finds system prompts a user
 * typed into a custom or derived template (the Magpie authors' domain control).
 */
const SYSTEM_BLOCKS: readonly RegExp[] = [
  /<\|im_start\|>system\n([\s\S]*?)<\|im_end\|>/,
  /<\|start_header_id\|>system<\|end_header_id\|>\n\n([\s\S]*?)<\|eot_id\|>/,
  /<\|system\|>\n([\s\S]*?)(?:<\|end\|>|\n<\|user\|>)/,
];

/**
 * Llama-3.1+ templates print this date block themselves whenever they render a system turn,
 * so it is template text, not the data's system prompt; keeping it would print it twice.
 */
const LLAMA_DATE_HEADER = /^Cutting Knowledge Date: [^\n]*\nToday Date: [^\n]*\n\n/;

export function systemPromptOf(preQueryTemplate: string | undefined): string | undefined {
  if (!preQueryTemplate) return undefined;
  for (const pattern of SYSTEM_BLOCKS) {
    const found = pattern.exec(preQueryTemplate);
    if (!found) continue;
    const text = (found[1] ?? '').replace(LLAMA_DATE_HEADER, '').trim();
    return text || undefined;
  }
  return undefined;
}

/** Instruction and response as exported: the edit where the curator made one, if asked. */
export function pairText(
  record: Pick<PairRecord, 'instruction' | 'response' | 'edited'>,
  text: ConversationOptions['text'],
): { instruction: string; response: string } {
  if (text === 'original' || !record.edited) return record;
  return {
    instruction: record.edited.instruction ?? record.instruction,
    response: record.edited.response ?? record.response,
  };
}

/**
 * The turns to export. Edits apply to the first user turn and the first reply (the pair a
 * curator edits); a system turn comes from the conversation itself, else from the pre-query.
 */
export function conversationOf(record: PairRecord, options: ConversationOptions): Turn[] {
  const { instruction, response } = pairText(record, options.text);
  const stored = recordTurns(record);
  const turns: Turn[] = [];
  let firstHuman = true;
  let firstGpt = true;
  for (const turn of stored) {
    if (turn.from === 'system') continue;
    if (turn.from === 'human' && firstHuman) {
      turns.push({ from: 'human', value: instruction });
      firstHuman = false;
    } else if (turn.from === 'gpt' && firstGpt) {
      turns.push({ from: 'gpt', value: response });
      firstGpt = false;
    } else turns.push({ from: turn.from, value: turn.value });
  }
  if (options.systemPrompt) {
    const own = stored.find((t) => t.from === 'system')?.value;
    const system = own ?? systemPromptOf(record.gen_input_configs?.pre_query_template);
    if (system) turns.unshift({ from: 'system', value: system });
  }
  return turns;
}

/** More than one user turn: a format with one instruction per row cannot hold it. */
export function isMultiTurn(record: Pick<PairRecord, 'conversations'>): boolean {
  return turnCount(record) > 1;
}
