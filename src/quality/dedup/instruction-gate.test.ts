import { afterEach, describe, expect, it } from 'vitest';
import { pair } from '../../test-support/fixtures';
import { createDataset } from '../../store/datasets';
import { MagpieDB } from '../../store/db';
import { MinHashGate } from './instruction-gate';

const dbs: MagpieDB[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

describe('MinHashGate (near-duplicate check before answering)', () => {
  it('refuses exact and near copies of what it admitted, and admits what is new', () => {
    const gate = new MinHashGate();
    expect(gate.admit('How do I sort a list of 2 numbers in Python?')).toBe(true);
    // Same text after normalisation (case, punctuation).
    expect(gate.admit('how do I sort a list of 2 numbers in python')).toBe(false);
    // One character apart: Jaccard of 5-grams well above 0.7 (distance below 0.3).
    expect(gate.admit('How do I sort a list of 3 numbers in Python?')).toBe(false);
    expect(gate.admit('Write a haiku about autumn rain in the city.')).toBe(true);
    expect(gate.admit('Plan a three-day trip to Lisbon on a small budget.')).toBe(true);
    expect(gate.admit('Write a haiku about autumn rain in the city!')).toBe(false);
  });

  it('uses the dataset threshold: a stricter gate lets more through', () => {
    const strict = new MinHashGate(0.05);
    expect(strict.admit('How do I sort a list of 2 numbers in Python?')).toBe(true);
    expect(strict.admit('How do I sort a list of 3 numbers in Python?')).toBe(true);
  });

  it('learns the instructions a dataset holds (the curator’s edits, not the text they replaced)', async () => {
    const db = new MagpieDB(`gate-${crypto.randomUUID()}`);
    dbs.push(db);
    const ds = await createDataset(db, 'd');
    const other = await createDataset(db, 'other');
    await db.records.bulkAdd([
      pair(ds.id, 'r', { instruction: 'Explain how a hash map works internally?' }),
      pair(ds.id, 'r', {
        instruction: 'Tell me about bread?',
        edited: { instruction: 'How long should bread dough rise at room temperature?', at: 1 },
      }),
      pair(other.id, 'r', { instruction: 'What is the capital of Portugal and why?' }),
    ]);
    const gate = new MinHashGate();
    await gate.learnDataset(db, ds.id);
    expect(gate.admit('Explain how a hash map works internally.')).toBe(false);
    expect(gate.admit('How long should bread dough rise at room temperature?')).toBe(false);
    expect(gate.admit('Tell me about bread?')).toBe(true);
    expect(gate.admit('What is the capital of Portugal and why?')).toBe(true); // another dataset
  });
});
