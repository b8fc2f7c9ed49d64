/**
 * Seeded randomness, never Math.random where a result must repeat. Per-pair draws: the same
 * (seed, sample index, stream) always gives the same number, whatever order lanes finish in
 * and however often a run was resumed (pair k of a run draws its system prompt and language
 * here). A stream (`prng`): the map's projection and sampling, and test fixtures.
 */
import { FNV_OFFSET, fnvMix } from './fnv';

/** A number in [0, 1) from a run's seed, a sample index and a stream name (one per choice). */
export function pairRandom(seed: number, sampleIndex: number, stream: string): number {
  const h = fnvMix(FNV_OFFSET, stream);
  // splitmix32 over the three inputs: consecutive indices give unrelated numbers.
  let x = (h ^ Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(sampleIndex | 0, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  x ^= x >>> 15;
  return (x >>> 0) / 4294967296;
}

/**
 * The index of the item `u` (in [0, 1)) lands on when each item takes a share of [0, 1)
 * proportional to its weight. Weights need not sum to 1; zero or negative weights are never
 * drawn. -1 when no weight is positive.
 */
export function weightedIndex(weights: readonly number[], u: number): number {
  const total = weights.reduce((s, w) => s + (w > 0 ? w : 0), 0);
  if (!(total > 0)) return -1;
  let at = u * total;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(w > 0)) continue;
    last = i;
    if (at < w) return i;
    at -= w;
  }
  return last; // rounding at the top end
}

/** mulberry32: a small seeded PRNG, one stream of numbers in [0, 1) per seed (the map, fixtures). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
