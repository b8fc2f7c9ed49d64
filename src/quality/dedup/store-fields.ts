/**
 * Writing near-duplicate fields back to the records: only records whose values changed,
 * in chunks, each chunk one transaction (bulkUpdate), so a long write never holds the
 * database and a stop leaves every record either old or new, never half written.
 */
import type { PairRecord } from '../../shared/record';
import type { MagpieDB } from '../../store/db';
import type { DedupFields } from './neighbour-index';

export interface FieldChange {
  uuid: string;
  fields: DedupFields;
}

export function storedFields(r: PairRecord): DedupFields | undefined {
  if (r.min_neighbor_distance === undefined || r.min_similar_uuid === undefined) return undefined;
  return {
    min_neighbor_distance: r.min_neighbor_distance,
    repeat_count: r.repeat_count ?? 0,
    min_similar_uuid: r.min_similar_uuid,
  };
}

export function sameFields(a: DedupFields | undefined, b: DedupFields | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.min_neighbor_distance === b.min_neighbor_distance &&
    a.repeat_count === b.repeat_count &&
    a.min_similar_uuid === b.min_similar_uuid
  );
}

export async function writeFields(
  db: MagpieDB,
  changes: FieldChange[],
  onProgress?: (done: number, total: number) => void,
  chunk = 2000,
): Promise<void> {
  for (let i = 0; i < changes.length; i += chunk) {
    const part = changes.slice(i, i + chunk);
    await db.records.bulkUpdate(
      part.map(({ uuid, fields }) => ({ key: uuid, changes: { ...fields } })),
    );
    onProgress?.(Math.min(i + chunk, changes.length), changes.length);
  }
}
