import type { PairRecord, Turn } from './record';

/** User turns in a record's conversation: 1 for a plain pair (or one without turns stored). */
export function turnCount(record: Pick<PairRecord, 'conversations'>): number {
  let humans = 0;
  for (const turn of record.conversations ?? []) if (turn.from === 'human') humans++;
  return Math.max(1, humans);
}

/** A plain pair's conversation: the instruction, then the response. */
export function pairTurns(instruction: string, response: string): Turn[] {
  return [
    { from: 'human', value: instruction },
    { from: 'gpt', value: response },
  ];
}

/** The turns a record (or a file's row) holds: its conversation, or its pair as one. */
export function recordTurns(r: {
  instruction: string;
  response: string;
  conversations?: Turn[] | null;
}): Turn[] {
  return r.conversations?.length ? r.conversations : pairTurns(r.instruction, r.response);
}
