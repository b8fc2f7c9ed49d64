import { describe, expect, it } from 'vitest';
import { searchWords, textMatches } from '../shared/filter';
import { segmentFromRow, segmentToRow } from './segment';
import { prng } from '../shared/seeded';
import { SEGMENT_DOCS, TextIndex } from './text-index';

const WORDS = ['alpha', 'alps', 'beta', 'bet', 'gamma', 'über', '学', '习', 'x1', 'x10', 'zeta'];

function docs(count: number, seed: number): string[] {
  const rand = prng(seed);
  return Array.from({ length: count }, () =>
    Array.from(
      { length: 1 + Math.floor(rand() * 5) },
      () => WORDS[Math.floor(rand() * WORDS.length)],
    ).join(' '),
  );
}

function ordinals(bits: Uint32Array, n: number): number[] {
  const out: number[] = [];
  for (let o = 0; o < n; o++) if (bits[o >>> 5]! & (1 << (o & 31))) out.push(o);
  return out;
}

describe('text index', () => {
  it('answers word-prefix queries like textMatches, across sealed, merged and live segments', () => {
    const texts = docs(SEGMENT_DOCS * 2 + 777, 5);
    const ix = new TextIndex();
    texts.forEach((t, o) => {
      ix.add(o, t);
      if (o === 100 || o === 101 || o === 5000) ix.seal(); // small segments, merged as they come
    });
    expect(ix.sealed.length).toBeGreaterThanOrEqual(2);
    expect(ix.sealed.every((s) => s.count <= SEGMENT_DOCS)).toBe(true);
    for (const q of ['al', 'alp', 'bet', 'x1', 'Über', '学 习', 'gamma zeta', 'nothing', 'a b']) {
      const words = searchWords(q);
      const want = texts.flatMap((t, o) => (textMatches(t, words) ? [o] : []));
      expect(ordinals(ix.match(words, texts.length), texts.length), q).toEqual(want);
    }
  });

  it('survives saving and loading its segments', () => {
    const texts = docs(3000, 9);
    const ix = new TextIndex();
    texts.forEach((t, o) => ix.add(o, t));
    ix.seal();
    const loaded = new TextIndex(ix.sealed.map((s) => segmentFromRow(segmentToRow('d', s))));
    const words = searchWords('alp x1');
    expect(ordinals(loaded.match(words, 3000), 3000)).toEqual(
      ordinals(ix.match(words, 3000), 3000),
    );
    loaded.add(3000, 'alpine x100');
    expect(ordinals(loaded.match(words, 3001), 3001)).toContain(3000);
  });

  it('keeps apart words whose hashes are equal, live and sealed', () => {
    // 'w4pvu' and 'wb3ea' share a 32-bit FNV-1a hash (the live segment's lookup key).
    const texts = ['w4pvu', 'wb3ea', 'wb3ea w4pvu', 'w4pvu w4pvu', 'other'];
    const ix = new TextIndex();
    texts.forEach((t, o) => ix.add(o, t));
    const found = (q: string) => ordinals(ix.match(searchWords(q), texts.length), texts.length);
    expect(found('w4pvu')).toEqual([0, 2, 3]);
    expect(found('wb3ea')).toEqual([1, 2]);
    ix.seal();
    expect(found('w4pvu')).toEqual([0, 2, 3]);
    expect(found('wb3ea')).toEqual([1, 2]);
    expect(ix.sealed[0]!.terms).toEqual(['other', 'w4pvu', 'wb3ea']);
  });
});
