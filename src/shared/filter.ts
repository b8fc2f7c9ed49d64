/**
 * The explorer's view: which records a curator is looking at. It lives in the URL, the
 * explorer answers it fast, and export uses the same definition (`recordMatches`) so
 * "export the current view" means exactly the rows on screen.
 */
import type { PairRecord } from './record';
import { FNV_OFFSET, fnvMix, fnvStep } from './fnv';
import { turnCount } from './turns';

/** Facets: a record matches when its value is one of the chosen ones ('' = no value). */
export const FACET_KEYS = [
  'model',
  'review',
  'task_category',
  'input_quality',
  'difficulty',
  'language',
  'finish',
  'tag_failure',
  'turns',
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
  /**
   * Full-text search: every query word must begin a word of the instruction, the response or
   * a later turn (case-insensitive; see `textWords` and `searchText`). Word prefixes, not substrings, so an index answers it.
   */
  q?: string;
  facets?: Partial<Record<FacetKey, string[]>>;
  /** Inclusive bounds; null leaves a side open. A record without the value does not match a range. */
  ranges?: Partial<Record<RangeKey, [number | null, number | null]>>;
  /** true: only instructions ending with ':'; false: none of them; absent: either. */
  endsWithColon?: boolean;
  /**
   * A region of the topic map (shared/region.ts): records whose stored position lies in
   * the polygon. A record the map has not placed is outside every region.
   */
  region?: number[];
}

/** Answers whether a record lies in the filter's map region (from the stored positions). */
export type RegionMembership = (uuid: string) => boolean;

/** A record's value for a facet, as shown in the facet list ('' when it has none). */
export function facetValue(record: PairRecord, key: FacetKey): string {
  if (key === 'finish') return record.finish.response;
  // The judge tasks that failed ('task_category', or several joined by ', ').
  if (key === 'tag_failure') return record.tag_failure?.task ?? '';
  if (key === 'turns') return String(turnCount(record));
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

/**
 * The text search looks in: the shown instruction and response, then every later turn of a
 * multi-turn conversation (later turns have no edits).
 */
export function searchText(record: PairRecord): string {
  const { instruction, response } = shownText(record);
  let text = `${instruction}\n${response}`;
  let humans = 0;
  let gpts = 0;
  for (const turn of record.conversations ?? []) {
    if (turn.from === 'human' && ++humans > 1) text += `\n${turn.value}`;
    if (turn.from === 'gpt' && ++gpts > 1) text += `\n${turn.value}`;
  }
  return text;
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;
const OWN_WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const NONE = 1;
const WORD = 2;
const OWN = 3;
/** Kind of each BMP character, filled on first sight: the regexes are too slow per character. */
const kinds = new Uint8Array(0x10000);

function kindOf(ch: string): number {
  return OWN_WORD.test(ch) ? OWN : WORD_CHAR.test(ch) ? WORD : NONE;
}

/**
 * The words search sees in a text, lowercased, in order (repeats kept): runs of letters,
 * marks, digits and '_'. Chinese and Japanese have no spaces, so each ideograph or kana is
 * a word of its own. Fast on purpose: the explorer's index runs it over every record.
 */
export function textWords(text: string, visit: (word: string) => void): void {
  textWordSpans(text, (s, start, end) => visit(s.slice(start, end)));
}

/** The hash `textWordSpans` gives a word (as it visits it: lowercased). */
export function wordHash(word: string): number {
  return fnvMix(FNV_OFFSET, word) >>> 0;
}

/**
 * The words of `textWords`, each as a span [start, end) of the lowercased text `s` with
 * the FNV-1a hash of its UTF-16 units: an index can look a word up by its hash and compare
 * it in place, without making a string of every word it has seen before.
 */
export function textWordSpans(
  text: string,
  visit: (s: string, start: number, end: number, hash: number) => void,
): void {
  const s = text.toLowerCase();
  let start = -1;
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    let width = 1;
    let kind: number;
    if (c < 128) kind = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 ? WORD : NONE;
    else if (c < 0xd800 || c > 0xdfff) kind = kinds[c] || (kinds[c] = kindOf(s[i]!));
    else {
      width = s.codePointAt(i)! > 0xffff ? 2 : 1;
      kind = kindOf(s.slice(i, i + width));
    }
    if (kind === WORD) {
      if (start < 0) {
        start = i;
        h = FNV_OFFSET;
      }
      h = fnvStep(h, c);
      if (width === 2) h = fnvStep(h, s.charCodeAt(i + 1));
    } else {
      if (start >= 0) visit(s, start, i, h >>> 0);
      start = -1;
      if (kind === OWN) {
        let own = fnvStep(FNV_OFFSET, c);
        if (width === 2) own = fnvStep(own, s.charCodeAt(i + 1));
        visit(s, i, i + width, own >>> 0);
      }
    }
    i += width;
  }
  if (start >= 0) visit(s, start, s.length, h >>> 0);
}

/** The distinct words of a query, as `textWords` splits them. */
export function searchWords(q: string | undefined): string[] {
  const words = new Set<string>();
  textWords(q ?? '', (w) => words.add(w));
  return [...words];
}

/** Whether every query word begins some word of the text. */
export function textMatches(text: string, words: readonly string[]): boolean {
  if (!words.length) return true;
  const own = new Set<string>();
  textWords(text, (w) => own.add(w));
  const sorted = [...own].sort();
  return words.every((w) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < w) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length && sorted[lo]!.startsWith(w);
  });
}

/** `inRegion` is required when the filter has a region (mapRegionMembership in src/map). */
export function recordMatches(
  record: PairRecord,
  filter: ViewFilter,
  inRegion?: RegionMembership,
): boolean {
  if (filter.region && !inRegion?.(record.uuid)) return false;
  const words = searchWords(filter.q);
  if (words.length) {
    if (!textMatches(searchText(record), words)) return false;
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
