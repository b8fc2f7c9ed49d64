/**
 * MinHash signatures of instructions, for the text near-duplicate method (no model, no
 * download). An instruction is normalised, cut into character 5-grams (robust on short,
 * multilingual text where word n-grams are too few), and summarised by 64 minimum hashes;
 * the share of equal minima estimates the Jaccard similarity of the two 5-gram sets.
 * LSH: 16 bands of 4 rows, so pairs above ~0.7 Jaccard almost always share a band (98.8%)
 * and pairs below ~0.3 rarely do (12%).
 */
import { FNV_OFFSET, fnvStep } from '../../shared/fnv';
import type { SignatureStore } from './neighbour-index';

export const NUM_HASHES = 64;
export const BANDS = 16;
const ROWS = NUM_HASHES / BANDS;
const SHINGLE = 5;

/** Lower case, letters and digits only (any script), single spaces: the text compared. */
export function normalise(text: string): string {
  const out = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return out === '' ? text.trim() : out;
}

/** murmur3's finaliser: spreads a hash over all 32 bits. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const BIN_SHIFT = 32 - Math.log2(NUM_HASHES);
const VALUE_MASK = (1 << BIN_SHIFT) - 1;
const EMPTY = -1;
const DENSIFY_TRIES = 32;

// For each bin, a fixed sequence of other bins to borrow from when it stays empty. Fixed
// (not per text), so two texts borrow alike and their signatures stay comparable.
const BORROW = new Uint8Array(NUM_HASHES * DENSIFY_TRIES);
for (let i = 0; i < BORROW.length; i++) BORROW[i] = (fmix(i + 0x5bd1e995) >>> 0) % NUM_HASHES;

const scratch = new Int32Array(NUM_HASHES);

/**
 * Writes the signature of normalised `text` into `out` at `offset`. One-permutation
 * hashing with densification (Shrivastava 2017): each 5-gram is hashed once; its top
 * bits choose one of 64 bins and the bin keeps its smallest value; an empty bin borrows
 * a filled one. Estimates Jaccard like 64 separate hash functions at 1/64 of the cost,
 * which is what makes 300k instructions a matter of seconds.
 */
export function minhashInto(text: string, out: Int32Array, offset: number): void {
  const sig = scratch;
  sig.fill(EMPTY);
  const n = Math.max(1, text.length - SHINGLE + 1);
  for (let i = 0; i < n; i++) {
    let h = FNV_OFFSET;
    const end = Math.min(text.length, i + SHINGLE);
    for (let j = i; j < end; j++) h = fnvStep(h, text.charCodeAt(j));
    const x = fmix(h);
    const bin = x >>> BIN_SHIFT;
    const v = x & VALUE_MASK;
    const cur = sig[bin] as number;
    if (cur === EMPTY || v < cur) sig[bin] = v;
  }
  for (let bin = 0; bin < NUM_HASHES; bin++) {
    if (sig[bin] !== EMPTY) continue;
    let from = -1;
    for (let t = 0; t < DENSIFY_TRIES && from === -1; t++) {
      const other = BORROW[bin * DENSIFY_TRIES + t] as number;
      if ((sig[other] as number) >= 0 && other !== bin) from = other;
    }
    for (let k = 1; from === -1; k++) {
      const other = (bin + k) % NUM_HASHES;
      if ((sig[other] as number) >= 0) from = other;
    }
    // Negative marks a borrowed value, so it is never borrowed again in this pass.
    sig[bin] = -2 - (sig[from] as number);
  }
  out.set(sig, offset);
}

/** Signatures of groups of identical normalised instructions, by group index. */
export class MinHashStore implements SignatureStore<string> {
  readonly bands = BANDS;
  private sig = new Int32Array(1024 * NUM_HASHES);

  put(group: number, normalisedText: string): void {
    const need = (group + 1) * NUM_HASHES;
    if (need > this.sig.length) {
      const grown = new Int32Array(Math.max(need, this.sig.length * 2));
      grown.set(this.sig);
      this.sig = grown;
    }
    minhashInto(normalisedText, this.sig, group * NUM_HASHES);
  }

  bandKey(group: number, band: number): number {
    const base = group * NUM_HASHES + band * ROWS;
    let h = Math.imul(band + 1, 0x9e3779b1);
    for (let r = 0; r < ROWS; r++) h = fmix(h ^ (this.sig[base + r] as number));
    return h >>> 0;
  }

  similarity(a: number, b: number): number {
    const sig = this.sig;
    const oa = a * NUM_HASHES;
    const ob = b * NUM_HASHES;
    let equal = 0;
    for (let k = 0; k < NUM_HASHES; k++) if (sig[oa + k] === sig[ob + k]) equal++;
    return equal / NUM_HASHES;
  }
}
