/**
 * The shape of a derived row (table recordDerived, schema v6): what is written about a
 * record after it was made. Apart from derived.ts so the schema (db.ts) can name it
 * without an import cycle.
 */
import type { DedupMethod } from '../shared/quality';
import type { RecordTags, ReviewStatus } from '../shared/record';

/** The three near-duplicate fields, Magpie's names. */
export interface NearDupFields {
  min_neighbor_distance: number;
  repeat_count: number;
  min_similar_uuid: string;
}

/** The app's own near-duplicate values and the method that found them. */
export type AppNearDup = NearDupFields & { method: DedupMethod };

export type { NearDupSource } from '../shared/quality';

/** Review and tags written after a record was made; null clears the record's own value. */
export type DerivedFields = {
  [K in Exclude<keyof RecordTags, keyof NearDupFields>]?: RecordTags[K] | null;
} & { review?: ReviewStatus };

export interface RecordDerived {
  uuid: string;
  datasetId: string;
  /** Stamped by the change feed on every write, like a record's. */
  changedAt?: number;
  fields: DerivedFields;
  nearDup?: AppNearDup;
}

/**
 * The derived state of many records in one value (table derivedPacks, schema v9): what a
 * write that changes thousands of records at once (a first near-duplicate pass over an
 * imported dataset, a recipe applied) stores instead of a row each, since Chromium's cost is per value
 * written and read. A record's state is the newer (by stamp) of its row and its newest
 * pack entry; each is the whole state (a writer merges the current one), so the newer
 * replaces the older wholesale. Columns, one slot per entry, in createdAt order.
 */
export interface DerivedPack {
  id: string;
  datasetId: string;
  /** The smallest and largest createdAt of its records: a reader of some records asks only packs overlapping theirs. */
  first: number;
  last: number;
  /** Stamped by the change feed on every write, like a row's; its entries carry it. */
  changedAt?: number;
  uuids: string[];
  /**
   * The createdAt of the record each entry was written about: an entry holds only for that
   * record (a uuid deleted and stored again is another record, and packs are not rewritten
   * for each delete).
   */
  recordAt: Float64Array;
  /** Each entry's `fields` as JSON ('' for none). */
  fields: string[];
  /** Each entry's near-duplicate values, by column: `method` '' where it has none. */
  method: (DedupMethod | '')[];
  distance: Float64Array;
  repeat: Uint32Array;
  /** min_similar_uuid, '' where it is the record's own uuid. */
  similar: string[];
}
