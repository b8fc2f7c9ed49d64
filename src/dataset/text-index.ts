/**
 * The explorer's full-text index over the shown instruction and response of every
 * ordinal: word-prefix search as `recordMatches` defines it, answered from postings
 * instead of text, so the worker never holds the texts (300,000 records would be ~1.5 GB
 * of strings). New ordinals go to a live segment; it is sealed into an immutable segment
 * (saved once) at SEGMENT_DOCS ordinals or when the index is saved, and small neighbours
 * merge so the count of segments stays small.
 */
import { textWordSpans, wordHash } from '../shared/filter';
import { matchSegment, mergeSegments, sealSegment, type Segment } from './segment';

export const SEGMENT_DOCS = 16_384;

export class TextIndex {
  sealed: Segment[] = [];
  /**
   * The live segment's words: each word's postings by term id, found through an
   * open-addressing table of the words' hashes (slot = term id + 1, 0 empty), so a word seen
   * before is compared in its text and never made into a string again.
   */
  private terms: string[] = [];
  private termHashes = new Uint32Array(1 << 11);
  private slots = new Int32Array(1 << 12);
  /**
   * Postings in the order they came, in flat arrays (no array per term to grow): posting p
   * is term termOf[p] in local ordinal docs[p]; sealing groups them by term (a counting
   * sort). lastDoc: each term's last local ordinal + 1 (0 none), so a word counts once a text.
   */
  private lastDoc = new Int32Array(1 << 11);
  private termOf = new Int32Array(1 << 16);
  private docs = new Int32Array(1 << 16);
  private count = 0;
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
    textWordSpans(text, (s, start, end, hash) => {
      const id = this.termId(s, start, end, hash);
      if (this.lastDoc[id] === local + 1) return;
      this.lastDoc[id] = local + 1;
      if (this.count === this.docs.length) {
        this.docs = grown(this.docs, this.count * 2);
        this.termOf = grown(this.termOf, this.count * 2);
      }
      this.termOf[this.count] = id;
      this.docs[this.count++] = local;
    });
    this.liveCount = local + 1;
    if (this.liveCount >= SEGMENT_DOCS) this.seal();
  }

  /** The live term id of the word s[start, end), added when new. */
  private termId(s: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i]!;
      if (slot === 0) {
        const id = this.terms.length;
        this.terms.push(s.slice(start, end));
        this.slots[i] = id + 1;
        if (id === this.termHashes.length) {
          this.termHashes = grown(this.termHashes, id * 2);
          this.lastDoc = grown(this.lastDoc, id * 2);
        }
        this.termHashes[id] = hash;
        if (this.terms.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
        return id;
      }
      const id = slot - 1;
      if (this.termHashes[id] !== hash) continue;
      const term = this.terms[id]!;
      if (term.length === end - start && s.startsWith(term, start)) return id;
    }
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.terms.length; id++) {
      let i = this.termHashes[id]! & mask;
      while (slots[i]) i = (i + 1) & mask;
      slots[i] = id + 1;
    }
    this.slots = slots;
  }

  /** Seals the live segment, then merges small neighbours. */
  seal(): void {
    if (this.liveCount > 0) {
      // Each term's postings in one run of `grouped`, from start[t], ordinals still in order.
      const { termOf, docs, count } = this;
      const start = new Int32Array(this.terms.length + 1);
      for (let p = 0; p < count; p++) start[termOf[p]! + 1]!++;
      for (let t = 0; t < this.terms.length; t++) start[t + 1]! += start[t]!;
      const at = start.slice(0, this.terms.length);
      const grouped = new Int32Array(count);
      for (let p = 0; p < count; p++) grouped[at[termOf[p]!]!++] = docs[p]!;
      const seg = sealSegment(
        this.nextId++,
        this.liveBase,
        this.liveCount,
        this.terms,
        (term, visit) => {
          const t = this.termId(term, 0, term.length, wordHash(term));
          for (let k = start[t]!; k < start[t + 1]!; k++) visit(grouped[k]!);
        },
      );
      this.sealed.push(seg);
      this.unsaved.add(seg.id);
      this.liveBase += this.liveCount;
      this.liveCount = 0;
      this.terms = [];
      this.slots.fill(0);
      this.lastDoc.fill(0);
      this.count = 0;
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
      const hit = new Uint8Array(this.terms.length);
      let any = false;
      for (let id = 0; id < this.terms.length; id++)
        if (this.terms[id]!.startsWith(word)) {
          hit[id] = 1;
          any = true;
        }
      for (let p = 0; any && p < this.count; p++) {
        if (!hit[this.termOf[p]!]) continue;
        const ord = this.liveBase + this.docs[p]!;
        bits[ord >>> 5]! |= 1 << (ord & 31);
      }
      if (!result) result = bits;
      else for (let i = 0; i < result.length; i++) result[i]! &= bits[i]!;
    }
    return result ?? new Uint32Array((n + 31) >>> 5).fill(0xffffffff);
  }
}

function grown<T extends Int32Array | Uint32Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}
