import { describe, expect, it } from 'vitest';
import { pair } from '../test-support/fixtures';
import { choosePreference, chosenFields, swappedPreference } from './preference';
import type { PreferenceResponse } from './record';

describe('choosePreference', () => {
  it('chooses the best score and rejects the worst', () => {
    expect(choosePreference([6, 9, 2, 7, 4])).toEqual({ ok: true, chosen: 1, rejected: 2 });
  });
  it('takes the earliest response among equal best or equal worst scores', () => {
    expect(choosePreference([3, 8, 8, 3, 5])).toEqual({ ok: true, chosen: 1, rejected: 0 });
  });
  it('stores nothing when every score is the same', () => {
    expect(choosePreference([7, 7, 7, 7, 7])).toEqual({ ok: false, reason: 'preference-tie' });
  });
  it('leaves unscored responses out, and needs two scored ones', () => {
    expect(choosePreference([undefined, 4, undefined, 9, undefined])).toEqual({
      ok: true,
      chosen: 3,
      rejected: 1,
    });
    expect(choosePreference([undefined, 4, undefined])).toEqual({
      ok: false,
      reason: 'preference-unscored',
    });
    expect(choosePreference([undefined, undefined])).toEqual({
      ok: false,
      reason: 'preference-unscored',
    });
    expect(choosePreference([undefined, 5, 5])).toEqual({ ok: false, reason: 'preference-tie' });
  });
  it('reads a score of 0 as a score, not as missing', () => {
    expect(choosePreference([0, 1])).toEqual({ ok: true, chosen: 1, rejected: 0 });
  });
});

describe('swappedPreference', () => {
  const responses: PreferenceResponse[] = [
    { text: 'Good answer.', seed: 1, finish: 'stop', score: 9, reason: 'Right.' },
    { text: 'Poor answer.', seed: 2, finish: 'stop', score: 2, reason: 'Wrong.' },
  ];
  const record = pair('d', 'r', {
    instruction: 'Q?',
    ...chosenFields('Q?', responses, 0),
    preference: { responses, chosen: 0, rejected: 1, generator: 'judge' },
  });

  it('exchanges chosen and rejected and makes the new chosen the record’s response', () => {
    const patch = swappedPreference(record)!;
    expect(patch.preference).toMatchObject({ chosen: 1, rejected: 0, swapped: true });
    expect(patch.response).toBe('Poor answer.');
    expect(patch.response_length).toBe('Poor answer.'.length);
    expect(patch.response_score).toBe(2);
    expect(patch.conversations).toEqual([
      { from: 'human', value: 'Q?' },
      { from: 'gpt', value: 'Poor answer.' },
    ]);
    const back = swappedPreference({ ...record, ...patch } as typeof record)!;
    expect(back.preference).toMatchObject({ chosen: 0, rejected: 1, swapped: false });
    expect(back.response).toBe('Good answer.');
  });

  it('refuses plain pairs and records whose response the curator edited', () => {
    expect(swappedPreference(pair('d', 'r'))).toBeUndefined();
    expect(swappedPreference({ ...record, edited: { response: 'Mine.', at: 1 } })).toBeUndefined();
  });
});
