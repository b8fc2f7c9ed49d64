/**
 * Records on three known topics with disjoint vocabularies, for the map's tests and
 * benchmark: a map that works puts each topic in a group of its own. The topic is also the
 * record's task_category, so colouring can be checked against it. Deterministic for a seed.
 */
import { syntheticRecords } from '../dataset/synthetic';
import { prng } from '../shared/seeded';
import type { PairRecord } from '../shared/record';

/** Keyed by the task category each topic is tagged with: cooking, programming, astronomy. */
export const TOPICS: Record<
  'Advice seeking' | 'Coding & Debugging' | 'Information seeking',
  string
> = {
  'Advice seeking':
    'recipe bake oven flour sugar butter simmer garlic onion sauce roast dough pasta spice chicken soup knead whisk',
  'Coding & Debugging':
    'python function compile debug array pointer recursion javascript typescript variable loop class module exception stack compiler integer',
  'Information seeking':
    'planet galaxy telescope orbit nebula comet asteroid supernova gravity stellar jupiter saturn eclipse cosmic quasar lunar',
};
export type Topic = keyof typeof TOPICS;
const NAMES = Object.keys(TOPICS) as Topic[];
const OPENERS = [
  'How do I',
  'Explain why',
  'Can you describe',
  'What is the best way to',
  'Tell me about',
];

export function topicOf(index: number): Topic {
  return NAMES[index % NAMES.length]!;
}

export function topicInstruction(index: number, rand: () => number): string {
  const words = TOPICS[topicOf(index)].split(' ');
  const pick = () => words[Math.floor(rand() * words.length)]!;
  const opener = OPENERS[Math.floor(rand() * OPENERS.length)]!;
  return `${opener} ${pick()} ${pick()} and ${pick()} with ${pick()} ${pick()}?`;
}

/** `count` records, topics in turn, stored shapes like the explorer's synthetic records. */
export function topicRecords(datasetId: string, count: number, seed = 1): PairRecord[] {
  const rand = prng(seed);
  const base = syntheticRecords({ datasetId, seed, vocabulary: 500 });
  return Array.from({ length: count }, (_, i) => {
    const instruction = topicInstruction(i, rand);
    const r = base(i);
    const record: PairRecord = {
      ...r,
      instruction,
      instructionRaw: instruction,
      instruction_length: instruction.length,
      conversations: [
        { from: 'human', value: instruction },
        { from: 'gpt', value: r.response },
      ],
      task_category: topicOf(i),
    };
    return record;
  });
}
