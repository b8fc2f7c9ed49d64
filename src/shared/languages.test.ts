import { eld } from 'eld/small';
import { describe, expect, it } from 'vitest';
import {
  composeSystemPrompt,
  defaultLanguagePrompt,
  DETECTABLE_LANGUAGES,
  languageProblems,
} from './languages';
import { pairRandom, weightedIndex } from './seeded';
import { systemPromptProblems } from './system-prompts';

describe('target languages', () => {
  it('offers exactly the languages the detector reports', () => {
    const info = eld.info() as { Languages: Record<string, string> };
    expect([...DETECTABLE_LANGUAGES].sort()).toEqual(Object.values(info.Languages).sort());
  });

  it('asks for a language by its English name', () => {
    expect(defaultLanguagePrompt('fr')).toBe(
      'You are an AI assistant. The user will write to you in French only, and you will reply in French.',
    );
  });

  it('puts the language request after the domain prompt', () => {
    expect(composeSystemPrompt('Math tutor.', 'In French.')).toBe('Math tutor.\n\nIn French.');
    expect(composeSystemPrompt(undefined, 'In French.')).toBe('In French.');
    expect(composeSystemPrompt('', '  ')).toBe('');
  });

  it('says what is wrong with a language list', () => {
    expect(
      languageProblems([
        { code: 'xx', weight: 1, prompt: 'p' },
        { code: 'fr', weight: -1, prompt: ' ' },
      ]),
    ).toEqual([
      '“xx” is not a language the app can detect.',
      'French needs a weight of 0 or more.',
      'The prompt asking for French is empty.',
    ]);
    expect(languageProblems([{ code: 'de', weight: 0, prompt: 'p' }])).toEqual([
      'At least one language needs a weight above 0.',
    ]);
  });

  it('says what is wrong with a system prompt list', () => {
    expect(
      systemPromptProblems([
        { id: 'a', label: 'A', text: '', weight: 1 },
        { id: 'a', label: 'B', text: 'x', weight: Number.NaN },
      ]),
    ).toEqual([
      'System prompt “A” is empty.',
      'System prompt “B” needs a weight of 0 or more.',
      'Two system prompts share the id “a”.',
    ]);
  });
});

describe('seeded draws', () => {
  it('gives the same number for the same seed, index and stream, and others otherwise', () => {
    expect(pairRandom(3, 10, 'x')).toBe(pairRandom(3, 10, 'x'));
    const values = new Set([
      pairRandom(3, 10, 'x'),
      pairRandom(3, 11, 'x'),
      pairRandom(4, 10, 'x'),
      pairRandom(3, 10, 'y'),
    ]);
    expect(values.size).toBe(4);
    for (const v of values) expect(v >= 0 && v < 1).toBe(true);
  });

  it('maps [0, 1) onto items by weight', () => {
    expect(weightedIndex([1, 3], 0)).toBe(0);
    expect(weightedIndex([1, 3], 0.24)).toBe(0);
    expect(weightedIndex([1, 3], 0.26)).toBe(1);
    expect(weightedIndex([0, 2, 0], 0.99)).toBe(1);
    expect(weightedIndex([0, 0], 0.5)).toBe(-1);
    expect(weightedIndex([], 0.5)).toBe(-1);
  });
});
