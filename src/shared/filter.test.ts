import { describe, expect, it } from 'vitest';
import { pair } from '../test-support/fixtures';
import { recordMatches, searchWords, textWords } from './filter';

const base = pair('ds', 'run', {
  instruction: 'How do I sort a list in Python?',
  response: 'Use sorted().',
  model: 'qwen',
  language: 'en',
  instruction_length: 31,
});

describe('recordMatches', () => {
  it('searches every word in instruction or response, edits included', () => {
    expect(recordMatches(base, { q: 'PYTHON sorted' })).toBe(true);
    expect(recordMatches(base, { q: 'python java' })).toBe(false);
    expect(
      recordMatches(
        { ...base, edited: { response: 'Use list.sort().', at: 1 } },
        { q: 'sorted()' },
      ),
    ).toBe(false);
  });

  it('matches the start of words, not the inside of them', () => {
    expect(recordMatches(base, { q: 'pyth SOR' })).toBe(true);
    expect(recordMatches(base, { q: 'ython' })).toBe(false);
    expect(recordMatches(base, { q: 'list.' })).toBe(true); // punctuation splits words, as in the text
    expect(recordMatches(base, { q: '   ' })).toBe(true);
  });

  it('splits text into lowercase words; each ideograph or kana is a word', () => {
    const words = (t: string) => {
      const out: string[] = [];
      textWords(t, (w) => out.push(w));
      return out;
    };
    expect(words('Déjà vu, x_1 = 42!')).toEqual(['déjà', 'vu', 'x_1', '42']);
    expect(words('如何学习Python？')).toEqual(['如', '何', '学', '习', 'python']);
    expect(words('नमस्ते दुनिया')).toEqual(['नमस्ते', 'दुनिया']); // combining marks stay inside
    expect(words('a 𝑥𝑦 b')).toEqual(['a', '𝑥𝑦', 'b']); // beyond the BMP
    expect(searchWords('Sort sort SORTED')).toEqual(['sort', 'sorted']);
    expect(recordMatches({ ...base, instruction: '如何学习编程？' }, { q: '学习' })).toBe(true);
  });

  it('matches facets, with "" for a missing tag', () => {
    expect(recordMatches(base, { facets: { language: ['en', 'de'], model: ['qwen'] } })).toBe(true);
    expect(recordMatches(base, { facets: { task_category: [''] } })).toBe(true);
    expect(recordMatches(base, { facets: { task_category: ['Math'] } })).toBe(false);
    expect(recordMatches(base, { facets: { review: ['kept'] } })).toBe(false);
  });

  it('applies inclusive ranges; a missing value never matches a range', () => {
    expect(recordMatches(base, { ranges: { instruction_length: [31, 31] } })).toBe(true);
    expect(recordMatches(base, { ranges: { instruction_length: [null, 30] } })).toBe(false);
    expect(recordMatches(base, { ranges: { min_neighbor_distance: [0, null] } })).toBe(false);
  });

  it('filters instructions ending with a colon either way', () => {
    const colon = { ...base, instruction: 'Here are the steps:' };
    expect(recordMatches(colon, { endsWithColon: true })).toBe(true);
    expect(recordMatches(base, { endsWithColon: true })).toBe(false);
    expect(recordMatches(base, { endsWithColon: false })).toBe(true);
  });
});
