import { describe, expect, it } from 'vitest';
import { headingTokenIds } from './first-token';

describe('headingTokenIds', () => {
  it('finds the single-token heading markers and leaves out a BOS the tokenizer adds', () => {
    const vocab: Record<string, number[]> = {
      '#': [2],
      '##': [567],
      '###': [14711],
      '####': [827],
    };
    const withBos = { encode: (t: string) => [128000, ...(vocab[t] ?? [])] };
    expect(headingTokenIds(withBos)).toEqual([2, 567, 14711, 827]);
  });

  it('skips a marker the tokenizer splits in two', () => {
    const tokenizer = { encode: (t: string) => (t === '#' ? [5] : t ? [5, 5] : []) };
    expect(headingTokenIds(tokenizer)).toEqual([5]);
  });
});
