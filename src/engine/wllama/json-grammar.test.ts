import { describe, expect, it } from 'vitest';
import { RESPONSE_SCORE_SCHEMA } from '../../shared/response-score';
import { jsonGrammar } from './json-grammar';

/** The grammar's rules by name, each rule's alternatives as written. */
function rules(grammar: string): Map<string, string> {
  return new Map(
    grammar.split('\n').map((line) => {
      const [name, body] = line.split(' ::= ');
      return [name!, body!];
    }),
  );
}

describe('jsonGrammar', () => {
  it('spells an object’s properties in order, each value by its schema', () => {
    const g = rules(
      jsonGrammar({
        type: 'object',
        properties: {
          reason: { type: 'string' },
          score: { type: 'integer', minimum: 0, maximum: 3 },
          ok: { type: 'boolean' },
        },
        required: ['reason', 'score', 'ok'],
      }),
    );
    const root = g.get(g.get('root')!)!;
    expect(root).toBe(
      '"{" ws "\\"reason\\"" ws ":" ws string ws "," ws "\\"score\\"" ws ":" ws ("0" | "1" | "2" | "3") ws "," ws "\\"ok\\"" ws ":" ws boolean ws "}"',
    );
    // Every rule it names is defined.
    for (const body of g.values())
      for (const name of body
        .replace(/"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]/g, '')
        .match(/[a-z]\w*/g) ?? [])
        expect(g.has(name), name).toBe(true);
  });
  it('writes an enum as its JSON literals, quotes and backslashes escaped', () => {
    const g = jsonGrammar({ type: 'string', enum: ['Coding & Debugging', 'say "hi"', 'a\\b'] });
    expect(g.split('\n')[0]).toBe(
      'root ::= ("\\"Coding & Debugging\\"" | "\\"say \\\\\\"hi\\\\\\"\\"" | "\\"a\\\\\\\\b\\"")',
    );
  });
  it('an array repeats its item rule; a wide integer range is any integer', () => {
    const g = rules(
      jsonGrammar({
        type: 'array',
        items: { type: 'integer', minimum: 0, maximum: 1_000_000 },
      }),
    );
    expect(g.get(g.get('root')!)).toBe('"[" ws (integer (ws "," ws integer)*)? ws "]"');
  });
  it('spells the response score exactly: a free reason and a score from 0 to 10', () => {
    const g = rules(jsonGrammar(RESPONSE_SCORE_SCHEMA));
    const scores = Array.from({ length: 11 }, (_, i) => `"${i}"`).join(' | ');
    expect(g.get(g.get('root')!)).toBe(
      `"{" ws "\\"reason\\"" ws ":" ws string ws "," ws "\\"score\\"" ws ":" ws (${scores}) ws "}"`,
    );
  });
  it('holds every answer it accepts within the token limit: free text and lists bounded', () => {
    const utf8 = (t: string) => new TextEncoder().encode(t).length;
    // The longest answer each grammar accepts, built from its bounds: one space wherever
    // whitespace may go, free text of the widest characters, a list at its longest.
    const longest = (
      schema: Record<string, unknown>,
      maxTokens: number,
      build: (n: number[]) => string,
    ) => {
      const g = jsonGrammar(schema, maxTokens);
      const bounds = [...g.matchAll(/(?:bchar|\))\{0,(\d+)\}/g)].map((m) => Number(m[1]));
      return { bytes: utf8(build(bounds)), bounds };
    };
    const wide = (n: number) => '€'.repeat(n);
    const score = longest(
      RESPONSE_SCORE_SCHEMA,
      256,
      ([n]) => `{ "reason" : "${wide(n!)}" , "score" : 10 }`,
    );
    expect(score.bytes).toBeLessThanOrEqual(255);
    expect(score.bounds[0]).toBeGreaterThan(40);
    const twoTexts = {
      type: 'object',
      properties: {
        intent: { type: 'string' },
        knowledge: { type: 'string' },
        difficulty: { type: 'string', enum: ['easy', 'very hard'] },
      },
    };
    const both = longest(
      twoTexts,
      384,
      ([a, b]) =>
        `{ "intent" : "${wide(a!)}" , "knowledge" : "${wide(b!)}" , "difficulty" : "very hard" }`,
    );
    expect(both.bytes).toBeLessThanOrEqual(383);
    const tags = ['Information seeking', 'Coding & Debugging'];
    const listed = {
      type: 'object',
      properties: {
        primary_tag: { type: 'string', enum: tags },
        other_tags: { type: 'array', items: { type: 'string', enum: tags } },
      },
    };
    const list = longest(listed, 128, ([more]) => {
      const items = Array.from({ length: more! + 1 }, () => '"Information seeking"');
      return `{ "primary_tag" : "Information seeking" , "other_tags" : [ ${items.join(' , ')} ] }`;
    });
    expect(list.bytes).toBeLessThanOrEqual(127);
    // Without a limit, nothing is bounded (as a server's JSON mode).
    expect(jsonGrammar(listed)).not.toMatch(/(?:bchar|\))\{0,\d+\}/);
  });
});
