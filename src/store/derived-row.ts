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
