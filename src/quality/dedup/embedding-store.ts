/**
 * Signatures for the semantic method: unit-length embeddings compared by cosine, with
 * random-hyperplane LSH (16 bands of 12 sign bits): pairs above cosine ~0.9 share a band
 * 93% of the time, pairs near 0.5 about 12%.
 */
import type { SignatureStore } from './neighbour-index';

const BANDS = 16;
const BITS = 12;

export class EmbeddingStore implements SignatureStore<Float32Array> {
  readonly bands = BANDS;
  private vectors: Float32Array;
  private keys: Uint32Array;
  private readonly planes: Float32Array;

  constructor(readonly dim: number) {
    this.vectors = new Float32Array(1024 * dim);
    this.keys = new Uint32Array(1024 * BANDS);
    this.planes = gaussianPlanes(BANDS * BITS, dim);
  }

  put(group: number, vector: Float32Array): void {
    const dim = this.dim;
    if ((group + 1) * dim > this.vectors.length) {
      const grownV = new Float32Array(this.vectors.length * 2);
      grownV.set(this.vectors);
      this.vectors = grownV;
      const grownK = new Uint32Array(this.keys.length * 2);
      grownK.set(this.keys);
      this.keys = grownK;
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += (vector[i] as number) ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const base = group * dim;
    for (let i = 0; i < dim; i++) this.vectors[base + i] = (vector[i] as number) * scale;
    for (let b = 0; b < BANDS; b++) {
      let key = b + 1;
      for (let bit = 0; bit < BITS; bit++) {
        const plane = (b * BITS + bit) * dim;
        let dot = 0;
        for (let i = 0; i < dim; i++)
          dot += (this.planes[plane + i] as number) * (this.vectors[base + i] as number);
        key = key * 2 + (dot >= 0 ? 1 : 0);
      }
      this.keys[group * BANDS + b] = Math.imul(key, 0x9e3779b1) >>> 0;
    }
  }

  bandKey(group: number, band: number): number {
    return this.keys[group * BANDS + band] as number;
  }

  similarity(a: number, b: number): number {
    const dim = this.dim;
    let dot = 0;
    for (let i = 0; i < dim; i++)
      dot += (this.vectors[a * dim + i] as number) * (this.vectors[b * dim + i] as number);
    return Math.max(0, Math.min(1, dot));
  }
}

/** Seeded normal samples (Box-Muller), so signatures are stable across runs. */
function gaussianPlanes(count: number, dim: number): Float32Array {
  const out = new Float32Array(count * dim);
  let s = 0x9e3779b9;
  const uniform = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 1) / (2 ** 32 + 2);
  };
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  }
  return out;
}
