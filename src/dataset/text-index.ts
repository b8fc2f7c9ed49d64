/**
 * The explorer's full-text index over the shown instruction and response of every
 * ordinal: word-prefix search as `recordMatches` defines it, answered from postings
 * instead of text, so the worker never holds the texts (300,000 records would be ~1.5 GB
 * of strings). New ordinals go to a live segment; it is sealed into an immutable segment
 * (saved once) at SEGMENT_DOCS ordinals or when the index is saved, and small neighbours
 * merge so the count of segments stays small.
 */
import { textWords } from '../shared/filter';
import { matchSegment, mergeSegments, sealSegment, type Segment } from './segment';

export const SEGMENT_DOCS = 16_384;

export class TextIndex {
  sealed: Segment[] = [];
  private live = new Map<string, number[]>();
  private liveBase = 0;
  private liveCount = 0;
  private nextId = 1;
  /** Sealed segment ids not saved yet, and saved ids merged away (to delete). */
  unsaved = new Set<number>();
  dropped = new Set<number>();

  constructor(sealed: Segment[] = []) {
    this.sealed = sealed;
    const last = sealed[sealed.length - 1];
    this.liveBase = last ? last.base + last.count : 0;
    this.nextId = Math.max(0, ...sealed.map((s) => s.id)) + 1;
  }

  /** Ordinals covered so far (sealed and live). */
  get size(): number {
    return this.liveBase + this.liveCount;
  }

  /** Indexes the text of `ord`; ordinals arrive in order, each once (gaps allowed). */
  add(ord: number, text: string): void {
    if (ord < this.size) throw new Error(`Ordinal ${ord} is already indexed.`);
    const local = ord - this.liveBase;
    textWords(text, (w) => {
      const list = this.live.get(w);
      if (!list) this.live.set(w, [local]);
      else if (list[list.length - 1] !== local) list.push(local);
    });
    this.liveCount = local + 1;
    if (this.liveCount >= SEGMENT_DOCS) this.seal();
  }

  /** Seals the live segment, then merges small neighbours. */
  seal(): void {
    if (this.liveCount > 0) {
      const seg = sealSegment(this.nextId++, this.liveBase, this.liveCount, this.live);
      this.sealed.push(seg);
      this.unsaved.add(seg.id);
      this.liveBase += this.liveCount;
      this.liveCount = 0;
      this.live = new Map();
    }
    for (;;) {
      const b = this.sealed[this.sealed.length - 1];
      const a = this.sealed[this.sealed.length - 2];
      if (!a || !b || a.count + b.count > SEGMENT_DOCS) break;
      const merged = mergeSegments(this.nextId++, a, b);
      for (const old of [a, b]) {
        if (!this.unsaved.delete(old.id)) this.dropped.add(old.id);
      }
      this.sealed.splice(-2, 2, merged);
      this.unsaved.add(merged.id);
    }
  }

  /** Bitset over ordinals [0, n): those with a word starting with each of `words`. */
  match(words: readonly string[], n: number): Uint32Array {
    let result: Uint32Array | undefined;
    for (const word of words) {
      const bits = new Uint32Array((n + 31) >>> 5);
      for (const seg of this.sealed) matchSegment(seg, word, bits);
      for (const [term, docs] of this.live) {
        if (!term.startsWith(word)) continue;
        for (const local of docs) {
          const ord = this.liveBase + local;
          bits[ord >>> 5]! |= 1 << (ord & 31);
        }
      }
      if (!result) result = bits;
      else for (let i = 0; i < result.length; i++) result[i]! &= bits[i]!;
    }
    return result ?? new Uint32Array((n + 31) >>> 5).fill(0xffffffff);
  }
}
