/**
 * The explorer's view: which records a curator is looking at. It lives in the URL, the
 * explorer answers it fast, and export uses the same definition (`recordMatches`) so
 * "export the current view" means exactly the rows on screen.
 */
import type { PairRecord } from './record';

/** Facets: a record matches when its value is one of the chosen ones ('' = no value). */
export const FACET_KEYS = [
  'model',
  'review',
  'task_category',
  'input_quality',
  'difficulty',
  'language',
  'finish',
] as const;
export type FacetKey = (typeof FACET_KEYS)[number];

export const RANGE_KEYS = [
  'instruction_length',
  'response_length',
  'min_neighbor_distance',
  'response_score',
] as const;
export type RangeKey = (typeof RANGE_KEYS)[number];

export interface ViewFilter {
  /** Full-text search: every word must occur in the instruction or the response (case-insensitive). */
  q?: string;
  facets?: Partial<Record<FacetKey, string[]>>;
  /** Inclusive bounds; null leaves a side open. A record without the value does not match a range. */
  ranges?: Partial<Record<RangeKey, [number | null, number | null]>>;
  /** true: only instructions ending with ':'; false: none of them; absent: either. */
  endsWithColon?: boolean;
}

/** A record's value for a facet, as shown in the facet list ('' when it has none). */
export function facetValue(record: PairRecord, key: FacetKey): string {
  if (key === 'finish') return record.finish.response;
  const value = record[key];
  return value === undefined || value === null ? '' : String(value);
}

/** The text a record shows (and is searched by): the user's edit where there is one. */
export function shownText(record: PairRecord): { instruction: string; response: string } {
  return {
    instruction: record.edited?.instruction ?? record.instruction,
    response: record.edited?.response ?? record.response,
  };
}

export function searchWords(q: string | undefined): string[] {
  return (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

export function recordMatches(record: PairRecord, filter: ViewFilter): boolean {
  const words = searchWords(filter.q);
  if (words.length) {
    const { instruction, response } = shownText(record);
    const text = `${instruction}\n${response}`.toLowerCase();
    if (!words.every((w) => text.includes(w))) return false;
  }
  for (const key of FACET_KEYS) {
    const wanted = filter.facets?.[key];
    if (wanted?.length && !wanted.includes(facetValue(record, key))) return false;
  }
  for (const key of RANGE_KEYS) {
    const range = filter.ranges?.[key];
    if (!range) continue;
    const value = record[key];
    if (typeof value !== 'number') return false;
    if (range[0] !== null && value < range[0]) return false;
    if (range[1] !== null && value > range[1]) return false;
  }
  if (filter.endsWithColon !== undefined) {
    const ends = shownText(record).instruction.trimEnd().endsWith(':');
    if (ends !== filter.endsWithColon) return false;
  }
  return true;
}
