/**
 * How the explorer saves a dataset's index in IndexedDB (tables explorerSnapshots and
 * explorerSegments): typed arrays and joined strings, so loading 300,000 records' worth
 * is a few large reads instead of 300,000 small ones. Here in the store, which declares the
 * tables with these types (the store imports nothing above it).
 */

/** Bump when the saved shape changes: an index in another format is rebuilt, not read. */
export const SNAPSHOT_FORMAT = 3;

export interface ColumnsData {
  n: number;
  /** uuids by ordinal, joined with '\n' (one string loads far faster than 300,000), or a list if one holds '\n'. */
  uuids: string | string[];
  alive: Uint8Array;
  createdAt: Float64Array;
  changedAt: Float64Array;
  /** Derived rows' stamps (store/derived.ts); absent in saves from before them. */
  derivedAt?: Float64Array;
  textHash: Uint32Array;
  colon: Uint8Array;
  edited: Uint8Array;
  numbers: Record<string, Float64Array>;
  facets: Record<string, { codes: Uint16Array; values: string[] }>;
  /** Hashes of values the map colours by (run, system prompt, cluster); absent in older saves. */
  keys?: Record<string, Uint32Array>;
  /** Lowercased starts of the shown texts, for sorting, joined with '\n'. */
  sortText: { instruction: string; response: string };
  /** What the quality summary, recipe and export counts read (format 3). */
  quality: {
    shownResponseLength: Uint32Array;
    dup: Uint8Array;
    multiTurn: Uint8Array;
    instructReward: Float64Array;
    /** min_similar_uuid of records that repeat another, by ordinal. */
    similarOrds: Uint32Array;
    similarUuids: string[];
  };
}

export interface SavedOrder {
  key: string;
  perm: Uint32Array;
  present: number;
  n: number;
}

export interface ExplorerSnapshotRow {
  datasetId: string;
  format: number;
  savedAt: number;
  /** Changes stamped at or after it may be missing: read them on open (see exactWatermark). */
  watermark: number;
  /**
   * Set by saves since writes are stamped once their transaction runs (store/db.ts): every
   * change stamped before the watermark is in the index. Absent (older saves): a write in
   * flight may have been stamped before it, so the first catch-up looks back a margin.
   */
  exactWatermark?: true;
  /** The first full read goes newest first; it has not yet reached records created before this (inclusive); null when done. */
  scanBefore: number | null;
  columns: ColumnsData;
  /** Sealed text segments, in ordinal order. */
  segments: number[];
  orders: SavedOrder[];
  /** The dataset's near-duplicate choice generation the index was read under (absent: 0). */
  nearDupGeneration?: number;
}

export interface ExplorerSegmentRow {
  datasetId: string;
  id: number;
  /** First ordinal the segment covers, and how many. */
  base: number;
  count: number;
  /** Sorted words, joined with '\n'. */
  terms: string;
  /** Byte offset of each word's postings in `postings` (terms + 1 entries). */
  offsets: Uint32Array;
  /** Per word: ordinals - base, as varint deltas. */
  postings: Uint8Array;
}
