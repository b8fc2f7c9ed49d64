/**
 * The map's text embedding, no download: each instruction becomes a bag of hashed features
 * (words, word pairs, character 3-grams inside words), weighted by TF-IDF, then squeezed
 * into DIMS numbers by a sparse random projection (each feature adds +-w to SPREAD fixed
 * dimensions chosen by its hash), and normalised to length 1 so a dot product is the cosine.
 *
 * Why this shape: it needs two linear passes and a few MB whatever the dataset's size (no
 * vocabulary, no matrix), near-duplicates share most features and land close, and the same
 * document frequencies (saved with the map) embed records added later into the same space.
 */
import { textWords } from '../shared/filter';
import { FNV_OFFSET, fnvMix } from '../shared/fnv';

export const DIMS = 128;
/** Feature hash buckets (a power of two). */
export const BUCKETS = 1 << 18;
const SPREAD = 8;

/** murmur3's finaliser: spreads a bucket number over 32 well-mixed bits. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Per bucket, SPREAD dimensions and signs: computed once, 4 MB. */
let projection: { dims: Uint8Array; signs: Int8Array } | undefined;
function getProjection() {
  if (projection) return projection;
  const dims = new Uint8Array(BUCKETS * SPREAD);
  const signs = new Int8Array(BUCKETS * SPREAD);
  for (let b = 0; b < BUCKETS; b++) {
    for (let s = 0; s < SPREAD; s++) {
      const r = mix(b * SPREAD + s + 1);
      dims[b * SPREAD + s] = r % DIMS;
      signs[b * SPREAD + s] = r & 0x80000000 ? -1 : 1;
    }
  }
  projection = { dims, signs };
  return projection;
}

/**
 * Calls `visit` with the bucket of every feature of `text` (repeats included): each word,
 * each pair of neighbouring words, each 3-gram of a word padded with spaces. Hashes roll
 * over character codes (no substrings): this runs over every instruction.
 */
export function visitFeatures(text: string, visit: (bucket: number) => void): void {
  const mask = BUCKETS - 1;
  let prev = 0;
  textWords(text.slice(0, 2000), (w) => {
    const h = fnvMix(FNV_OFFSET, w);
    visit(mix(h ^ 1) & mask);
    if (prev !== 0) visit(mix(Math.imul(prev, 31) ^ h ^ 2) & mask);
    prev = h | 1;
    // 3-grams of " w ": codes a, b, c slide along the padded word.
    let a = 32;
    let b = w.charCodeAt(0);
    for (let i = 1; i <= w.length; i++) {
      const c = i < w.length ? w.charCodeAt(i) : 32;
      visit(mix((a * 65599 + b) * 65599 + c + 3) & mask);
      a = b;
      b = c;
    }
  });
}

/**
 * Document frequencies over hashed features: the fitted part of the embedding. They come
 * from a sample of the documents (IDF barely moves past a few thousand documents), so
 * embedding is one pass over the texts.
 */
export class LexicalModel {
  constructor(
    readonly df = new Uint32Array(BUCKETS),
    public docs = 0,
  ) {}
  private stamp = new Int32Array(BUCKETS).fill(-1);
  private counts = new Uint16Array(BUCKETS);
  private list = new Uint32Array(4096);
  private calls = 0;

  /** Counts a document's features (each once) into the document frequencies. */
  count(text: string): void {
    this.docs++;
    const { stamp, df } = this;
    const call = this.calls++;
    visitFeatures(text, (b) => {
      if (stamp[b] !== call) {
        stamp[b] = call;
        df[b]!++;
      }
    });
  }

  /** Writes the embedding of `text` into `out` at `offset` (DIMS floats, unit length or zero). */
  embed(text: string, out: Float32Array, offset: number): void {
    const { dims, signs } = getProjection();
    const { stamp, counts } = this;
    const call = this.calls++;
    let n = 0;
    visitFeatures(text, (b) => {
      if (stamp[b] !== call) {
        stamp[b] = call;
        counts[b] = 1;
        if (n === this.list.length) {
          const grown = new Uint32Array(n * 2);
          grown.set(this.list);
          this.list = grown;
        }
        this.list[n++] = b;
      } else if (counts[b]! < 65535) counts[b]!++;
    });
    const logDocs = Math.log(this.docs + 1);
    for (let d = 0; d < DIMS; d++) out[offset + d] = 0;
    for (let k = 0; k < n; k++) {
      const b = this.list[k]!;
      const w = (1 + Math.log(counts[b]!)) * (logDocs - Math.log(this.df[b]! + 1) + 1);
      const base = b * SPREAD;
      for (let s = 0; s < SPREAD; s++) out[offset + dims[base + s]!]! += signs[base + s]! * w;
    }
    let norm = 0;
    for (let d = 0; d < DIMS; d++) norm += out[offset + d]! ** 2;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let d = 0; d < DIMS; d++) out[offset + d]! *= inv;
    }
  }
}

/** Dot product of rows `i` of `a` and `j` of `b` (DIMS wide): the cosine of unit vectors. */
export function dot(a: Float32Array, i: number, b: Float32Array, j: number, dims = DIMS): number {
  let s = 0;
  const ai = i * dims;
  const bj = j * dims;
  for (let d = 0; d < dims; d++) s += a[ai + d]! * b[bj + d]!;
  return s;
}
