import type { PairRecord } from './record';

/** User turns in a record's conversation: 1 for a plain pair (or one without turns stored). */
export function turnCount(record: Pick<PairRecord, 'conversations'>): number {
  let humans = 0;
  for (const turn of record.conversations ?? []) if (turn.from === 'human') humans++;
  return Math.max(1, humans);
}
