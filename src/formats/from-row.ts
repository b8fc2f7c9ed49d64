/**
 * One parsed JSON value from an imported file, read as a given format: the conversation it
 * holds, checked the way trainers need it (user first, turns alternating, each answered),
 * and the tags and settings it carries. A row that fails says why, in words.
 */
import type { Turn } from '../shared/record';
import { FILE_COLUMNS, type ExtraFields } from '../shared/record-schema';
import type { ImportFormat } from '../shared/transfer-api';
import { recordTurns } from '../shared/turns';
import { describeIssue, readable, type Metadata } from './schemas';

export interface ParsedRow {
  turns: Turn[];
  meta: Metadata;
  /** The row's fields its format does not read, as the file held them. */
  extras?: ExtraFields;
}

export type ParseOutcome = { ok: true; row: ParsedRow } | { ok: false; reason: string };

const FROM_ROLE = { system: 'system', user: 'human', assistant: 'gpt' } as const;

export function parseRow(format: ImportFormat, value: unknown): ParseOutcome {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const turns = turnsOf(format, value);
  if (!turns.ok) return turns;
  const problem = conversationProblem(turns.turns);
  if (problem) return { ok: false, reason: problem };
  const extras = extrasOf(format, value as Record<string, unknown>);
  return { ok: true, row: { turns: turns.turns, meta: turns.meta, ...(extras && { extras }) } };
}

/**
 * Keys that are not extra for each format: those it reads, and every column the field
 * schema declares (a length the app computes, another format's column): an extra field can
 * then never stand for, or clobber, a declared one when exported.
 */
const KNOWN_KEYS = Object.fromEntries(
  Object.entries(readable).map(([format, schema]) => [
    format,
    new Set([...Object.keys(schema.shape), ...Object.keys(FILE_COLUMNS)]),
  ]),
) as Record<ImportFormat, Set<string>>;

/** The row's fields no format here declares, or undefined when there are none. */
function extrasOf(format: ImportFormat, value: Record<string, unknown>): ExtraFields | undefined {
  let extras: ExtraFields | undefined;
  for (const key of Object.keys(value))
    if (!KNOWN_KEYS[format].has(key)) (extras ??= {})[key] = value[key];
  return extras;
}

function turnsOf(
  format: ImportFormat,
  value: object,
): { ok: true; turns: Turn[]; meta: Metadata } | { ok: false; reason: string } {
  switch (format) {
    case 'magpie': {
      const r = readable.magpie.safeParse(value);
      if (!r.success) return { ok: false, reason: describeIssue(r.error) };
      return { ok: true, turns: recordTurns(r.data), meta: r.data };
    }
    case 'sharegpt': {
      const r = readable.sharegpt.safeParse(value);
      if (!r.success) return { ok: false, reason: describeIssue(r.error) };
      return { ok: true, turns: r.data.conversations, meta: r.data };
    }
    case 'openai': {
      const r = readable.openai.safeParse(value);
      if (!r.success) return { ok: false, reason: describeIssue(r.error) };
      const turns = r.data.messages.map((m) => ({ from: FROM_ROLE[m.role], value: m.content }));
      return { ok: true, turns, meta: r.data };
    }
    case 'alpaca': {
      const r = readable.alpaca.safeParse(value);
      if (!r.success) return { ok: false, reason: describeIssue(r.error) };
      const { instruction, input, output, system, history } = r.data;
      const turns: Turn[] = [];
      if (system) turns.push({ from: 'system', value: system });
      for (const [q, a] of history ?? [])
        turns.push({ from: 'human', value: q }, { from: 'gpt', value: a });
      // LLaMA-Factory's reader joins instruction and input with a newline.
      turns.push({ from: 'human', value: input ? `${instruction}\n${input}` : instruction });
      turns.push({ from: 'gpt', value: output });
      return { ok: true, turns, meta: r.data };
    }
  }
}

/** Why a conversation cannot be trained on, or undefined when it can. */
export function conversationProblem(turns: Turn[]): string | undefined {
  const offset = turns[0]?.from === 'system' ? 1 : 0;
  const body = turns.slice(offset);
  if (!body.length) return 'empty conversation';
  for (let i = 0; i < body.length; i++) {
    const turn = body[i]!;
    const expected = i % 2 === 0 ? 'human' : 'gpt';
    if (turn.from !== expected) {
      return `turn ${i + 1 + offset} is "${turn.from}" where a "${expected}" turn belongs (user first, then alternating)`;
    }
    if (!turn.value.trim()) return `turn ${i + 1 + offset} ("${turn.from}") is empty`;
  }
  if (body.length % 2) return 'the last user turn has no reply';
  return undefined;
}
