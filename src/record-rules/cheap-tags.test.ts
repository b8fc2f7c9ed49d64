import { describe, expect, it } from 'vitest';
import { loadCheapTagger, repetition } from './cheap-tags';

const cheapTags = await loadCheapTagger();

describe('cheap tags', () => {
  it('detects the instruction language as an ISO 639-1 code', () => {
    expect(
      cheapTags({
        instruction: 'How do I sort a list of numbers in Python quickly?',
        response: 'x',
      }).language,
    ).toBe('en');
    expect(
      cheapTags({
        instruction: 'Wie kann ich eine Liste von Zahlen in Python sortieren?',
        response: 'x',
      }).language,
    ).toBe('de');
    expect(
      cheapTags({ instruction: 'Как отсортировать список в Python?', response: 'x' }).language,
    ).toBe('ru');
    for (const [text, code] of [
      ['¿Cuál es la mejor manera de aprender a programar sin experiencia?', 'es'],
      ['Explique-moi la différence entre un prêt à taux fixe et variable.', 'fr'],
      ['请解释一下量子计算的基本原理，以及它与经典计算的区别。', 'zh'],
      ['What is 2 + 2?', 'en'],
    ])
      expect(cheapTags({ instruction: text!, response: 'x' }).language, text).toBe(code);
  });

  it('says nothing rather than guess a language from a word or two', () => {
    for (const text of ['ok', 'Hi', '12 + 30 = ?', ''])
      expect(cheapTags({ instruction: text, response: 'x' }).language, text).toBe('');
  });

  it('keeps a language the record already names instead of detecting one', () => {
    const tags = cheapTags({ instruction: 'How do I sort a list?', response: 'x', language: 'EN' });
    expect(tags.language).toBe('EN');
  });

  it('marks instructions ending with a colon as incomplete', () => {
    expect(
      cheapTags({ instruction: 'Here are the steps to follow:', response: 'x' }).incomplete,
    ).toBe(true);
    expect(
      cheapTags({ instruction: 'What is a colon: the punctuation?', response: 'x' }).incomplete,
    ).toBe(false);
  });

  it('flags template tokens leaked into either text', () => {
    expect(
      cheapTags({ instruction: 'Hi there, explain DNS?', response: 'DNS maps names.<|im_end|>' })
        .leaked_template,
    ).toBe(true);
    expect(
      cheapTags({ instruction: 'Hi there, explain DNS?', response: 'DNS maps names.' })
        .leaked_template,
    ).toBe(false);
  });

  it('measures repetition: none in prose, high in a loop', () => {
    expect(
      repetition('The quick brown fox jumps over the lazy dog and runs away into the woods.'),
    ).toBe(0);
    expect(repetition('I am sorry I cannot help. '.repeat(20))).toBeGreaterThan(0.7);
  });
});
