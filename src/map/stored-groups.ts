/**
 * For the map's tests: the group each stored record belongs to when the map is coloured by
 * run, system prompt or near-duplicate cluster, read from the record's own fields (not from
 * the dataset index the map answers from), and the size of each group. The unit and browser
 * tests of colouring both count what the store holds with this.
 */
export type GroupField = 'run' | 'system_prompt' | 'cluster';

export interface GroupedRecord {
  uuid: string;
  runId: string;
  system_prompt?: string | undefined;
  min_similar_uuid?: string | undefined;
  repeat_count?: number | undefined;
}

export function storedGroup(r: GroupedRecord, field: GroupField): string {
  if (field === 'run') return r.runId;
  if (field === 'system_prompt') return r.system_prompt ?? '';
  // A cluster is named by its first record (which others repeat); a record alone is in none.
  const first = r.min_similar_uuid;
  return first && (first !== r.uuid || (r.repeat_count ?? 0) > 0) ? first : '';
}

/** Records per group, as stored. */
export function storedGroupSizes(
  records: readonly GroupedRecord[],
  field: GroupField,
): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const r of records) {
    const g = storedGroup(r, field);
    sizes.set(g, (sizes.get(g) ?? 0) + 1);
  }
  return sizes;
}
