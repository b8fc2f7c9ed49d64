import { describe, expect, it } from 'vitest';
import { detectFormat, sniffFile } from './detect';
import { parseRow } from './from-row';

const turns = [
  { from: 'human', value: 'Hi?' },
  { from: 'gpt', value: 'Hello.' },
];
const ROWS = {
  magpie: { uuid: 'u', instruction: 'Hi?', response: 'Hello.', conversations: turns },
  sharegpt: { conversations: turns },
  openai: {
    messages: [
      { role: 'user', content: 'Hi?' },
      { role: 'assistant', content: 'Hello.' },
    ],
  },
  alpaca: { instruction: 'Hi?', input: '', output: 'Hello.' },
};

describe('detectFormat', () => {
  it.each(Object.entries(ROWS))('names %s from its rows', (format, row) => {
    expect(detectFormat([row, row, { broken: true }]).detected).toBe(format);
  });

  it('goes by the majority and names nothing when no row fits', () => {
    expect(detectFormat([ROWS.alpaca, ROWS.openai, ROWS.openai]).detected).toBe('openai');
    expect(detectFormat([{ text: 'plain' }]).detected).toBeUndefined();
  });
});

describe('sniffFile', () => {
  it('looks at the first valid rows of a JSON array file and previews one', async () => {
    const file = new File([`not json\n${JSON.stringify([ROWS.alpaca, ROWS.alpaca])}`], 'a.json');
    // "not json" first: the file is read as lines, and the array line is one row.
    expect((await sniffFile(file)).detected).toBeUndefined();
    const array = new File([JSON.stringify([ROWS.alpaca, ROWS.alpaca], null, 2)], 'a.json');
    expect(await sniffFile(array)).toMatchObject({
      layout: 'array',
      detected: 'alpaca',
      sampled: 2,
      matches: { alpaca: 2, magpie: 0, sharegpt: 0, openai: 0 },
      preview: { instruction: 'Hi?', response: 'Hello.', turns: 1 },
    });
  });
});

describe('parseRow', () => {
  it.each([
    [
      'sharegpt',
      {
        conversations: [
          { from: 'gpt', value: 'x' },
          { from: 'human', value: 'y' },
        ],
      },
      'turn 1 is "gpt"',
    ],
    [
      'sharegpt',
      {
        conversations: [
          { from: 'human', value: ' ' },
          { from: 'gpt', value: 'y' },
        ],
      },
      'turn 1 ("human") is empty',
    ],
    [
      'sharegpt',
      { conversations: [{ from: 'user', value: 'x' }] },
      'conversations[0].from: Invalid option',
    ],
    [
      'openai',
      { messages: [{ role: 'user', content: [{ type: 'text' }] }] },
      'messages[0].content',
    ],
    ['alpaca', { instruction: 'x' }, 'output: missing'],
    ['magpie', { instruction: 'x', response: 'y', repeat_count: 'many' }, 'repeat_count'],
    ['openai', { messages: [{ role: 'system', content: 'Be nice.' }] }, 'empty conversation'],
  ] as const)('explains a bad %s row', (format, row, reason) => {
    const out = parseRow(format, row);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.reason).toContain(reason);
  });
});
