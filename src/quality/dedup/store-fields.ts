/**
 * Writing the app's near-duplicate values: only records whose values changed, to their
 * derived rows (store/derived.ts; a file's own values in the record stay as the file gave
 * them), in chunks, each chunk one transaction, so a long write never holds the database
 * and a stop leaves every record either old or new, never half written. Passes read the
 * app's values back through scans with `nearDup: 'app'`. The rows written are answered as
 * stored, so the dataset index takes them at once instead of reading them back.
 */
import type { DedupMethod } from '../../shared/quality';
import type { MagpieDB } from '../../store/db';
import {
  writeDerivedChunks,
  type AssembledRecord,
  type RecordDerived,
  type SeenPresent,
} from '../../store/derived';
import { PACKED_FROM } from '../../store/derived-packs';
import type { DedupFields } from './neighbour-index';

export interface FieldChange {
  uuid: string;
  /** The record's createdAt (a derived pack's entry holds for that record only). */
  recordAt: number;
  fields: DedupFields;
}

/** The app's stored values, with their method (none for values stored before v6). */
export type StoredFields = DedupFields & { method?: DedupMethod };

/** From a record read with `nearDup: 'app'`. */
export function storedFields(r: AssembledRecord): StoredFields | undefined {
  if (r.min_neighbor_distance === undefined || r.min_similar_uuid === undefined) return undefined;
  return {
    min_neighbor_distance: r.min_neighbor_distance,
    repeat_count: r.repeat_count ?? 0,
    min_similar_uuid: r.min_similar_uuid,
    ...(r.nearDupMethod && { method: r.nearDupMethod }),
  };
}

/**
 * The app's stored values of a record read as the dataset's reader sees it (the dataset
 * index's read, handed over): known only when they came from a derived row (they carry
 * their method). Otherwise they may be a file's, or hidden by the dataset's choice: unknown,
 * so the pass writes its values rather than trust them.
 */
export function appFieldsSeen(r: AssembledRecord): StoredFields | undefined {
  return r.nearDupMethod ? storedFields(r) : undefined;
}

/** Equal values from this method (values of unknown method are not rewritten for it). */
export function sameFields(
  a: DedupFields | undefined,
  b: StoredFields | undefined,
  method: DedupMethod,
): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    (b.method === undefined || b.method === method) &&
    a.min_neighbor_distance === b.min_neighbor_distance &&
    a.repeat_count === b.repeat_count &&
    a.min_similar_uuid === b.min_similar_uuid
  );
}

export async function writeFields(
  db: MagpieDB,
  datasetId: string,
  method: DedupMethod,
  changes: FieldChange[],
  onProgress?: (done: number, total: number) => void,
  /** When the pass's reads of these records began (only records deleted since are looked up). */
  seen?: SeenPresent,
  packedFrom = PACKED_FROM,
): Promise<RecordDerived[]> {
  return writeDerivedChunks(
    db,
    datasetId,
    changes.map(({ uuid, recordAt, fields }) => ({
      uuid,
      recordAt,
      nearDup: { ...fields, method },
    })),
    seen,
    onProgress,
    packedFrom,
  );
}
