/**
 * A sealed piece of the text index: the sorted words of a run of ordinals, each with the
 * ordinals it occurs in as varint deltas (~1 byte per posting). Immutable once built, so
 * it is saved once and loaded as three large values. A word prefix is a range of the
 * sorted words: a binary search, then every posting of that range into a bitset.
 */
import type { ExplorerSegmentRow } from '../store/snapshot-format';

export interface Segment {
  id: number;
  base: number;
  count: number;
  terms: string[];
  offsets: Uint32Array;
  postings: Uint8Array;
}

/** A growable byte buffer writing unsigned varints. */
class ByteWriter {
  bytes = new Uint8Array(1 << 16);
  length = 0;
  varint(v: number): void {
    if (this.length + 5 > this.bytes.length) {
      const next = new Uint8Array(this.bytes.length * 2);
      next.set(this.bytes);
      this.bytes = next;
    }
    while (v > 0x7f) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
  }
  raw(src: Uint8Array, from: number, to: number): void {
    const need = this.length + (to - from);
    if (need > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < need) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.bytes.subarray(0, this.length));
      this.bytes = next;
    }
    this.bytes.set(src.subarray(from, to), this.length);
    this.length = need;
  }
  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/**
 * Seals the postings of a live segment held as its words (any order) and, for each word,
 * `postingsOf(word, visit)` visiting its increasing local ordinals.
 */
export function sealSegment(
  id: number,
  base: number,
  count: number,
  words: readonly string[],
  postingsOf: (word: string, visit: (doc: number) => void) => void,
): Segment {
  const terms = [...words].sort();
  const offsets = new Uint32Array(terms.length + 1);
  const out = new ByteWriter();
  let prev = 0;
  const write = (doc: number) => {
    out.varint(doc - prev);
    prev = doc;
  };
  terms.forEach((term, t) => {
    offsets[t] = out.length;
    prev = 0;
    postingsOf(term, write);
  });
  offsets[terms.length] = out.length;
  return { id, base, count, terms, offsets, postings: out.done() };
}

/** First index in sorted `terms` whose word is >= `prefix`. */
function lowerBound(terms: string[], prefix: string): number {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (terms[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sets in `bits` the ordinals that have a word starting with `prefix`. */
export function matchSegment(seg: Segment, prefix: string, bits: Uint32Array): void {
  const { terms, offsets, postings, base } = seg;
  for (let t = lowerBound(terms, prefix); t < terms.length && terms[t]!.startsWith(prefix); t++) {
    let doc = 0;
    let p = offsets[t]!;
    const end = offsets[t + 1]!;
    while (p < end) {
      let b = postings[p++]!;
      let delta = b & 0x7f;
      let shift = 7;
      while (b & 0x80) {
        b = postings[p++]!;
        delta |= (b & 0x7f) << shift;
        shift += 7;
      }
      doc += delta;
      const ord = base + doc;
      bits[ord >>> 5]! |= 1 << (ord & 31);
    }
  }
}

/** The last local ordinal of a word's postings (to continue them in a merge). */
function lastDoc(postings: Uint8Array, from: number, to: number): number {
  let doc = 0;
  let p = from;
  while (p < to) {
    let b = postings[p++]!;
    let delta = b & 0x7f;
    let shift = 7;
    while (b & 0x80) {
      b = postings[p++]!;
      delta |= (b & 0x7f) << shift;
      shift += 7;
    }
    doc += delta;
  }
  return doc;
}

/**
 * Joins two adjacent segments (b starts where a ends). A word's postings from b follow
 * a's unchanged except the first delta, so most bytes are copied, not decoded.
 */
export function mergeSegments(id: number, a: Segment, b: Segment): Segment {
  if (b.base !== a.base + a.count) throw new Error('Only adjacent segments merge.');
  const terms: string[] = [];
  const offsets: number[] = [];
  const out = new ByteWriter();
  let i = 0;
  let j = 0;
  while (i < a.terms.length || j < b.terms.length) {
    const ta = a.terms[i];
    const tb = b.terms[j];
    const fromA = tb === undefined || (ta !== undefined && ta <= tb);
    const fromB = ta === undefined || (tb !== undefined && tb <= ta);
    offsets.push(out.length);
    terms.push((fromA ? ta : tb)!);
    let last = -1;
    if (fromA) {
      out.raw(a.postings, a.offsets[i]!, a.offsets[i + 1]!);
      last = lastDoc(a.postings, a.offsets[i]!, a.offsets[i + 1]!);
      i++;
    }
    if (fromB) {
      const start = b.offsets[j]!;
      const end = b.offsets[j + 1]!;
      // Re-base b's first posting; the rest are deltas and copy as they are.
      let p = start;
      let v = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = b.postings[p++]!;
        v |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte & 0x80);
      const first = a.count + v;
      out.varint(last < 0 ? first : first - last);
      out.raw(b.postings, p, end);
      j++;
    }
  }
  offsets.push(out.length);
  return {
    id,
    base: a.base,
    count: a.count + b.count,
    terms,
    offsets: Uint32Array.from(offsets),
    postings: out.done(),
  };
}

export function segmentToRow(datasetId: string, seg: Segment): ExplorerSegmentRow {
  return {
    datasetId,
    id: seg.id,
    base: seg.base,
    count: seg.count,
    terms: seg.terms.join('\n'),
    offsets: seg.offsets,
    postings: seg.postings,
  };
}

export function segmentFromRow(row: ExplorerSegmentRow): Segment {
  const terms = row.terms ? row.terms.split('\n') : [];
  if (row.offsets.length !== terms.length + 1) throw new Error('A saved text segment is broken.');
  return {
    id: row.id,
    base: row.base,
    count: row.count,
    terms,
    offsets: row.offsets,
    postings: row.postings,
  };
}
