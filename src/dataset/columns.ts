/**
 * A dataset as compact columns, one slot per ordinal: typed arrays for numbers, small
 * integer codes for facet values, short lowercase text starts for sorting. About 100 bytes
 * a record, so 300,000 records filter and sort in the worker without holding their text.
 * An ordinal whose record was deleted (or re-added with new text) stays, marked dead.
 */
import { SORT_KEYS, type SortKey } from '../shared/explorer-api';
import { FACET_KEYS, facetValue, shownText, type FacetKey } from '../shared/filter';
import { FNV_OFFSET, fnvMix } from '../shared/fnv';
import type { AssembledRecord as StoredRecord } from '../store/derived';
import type { ColumnsData } from '../store/snapshot-format';
import { isMultiTurn } from '../formats/conversation';

export const NUMBER_COLUMNS = [
  'instruction_length',
  'response_length',
  'min_neighbor_distance',
  'repeat_count',
  'response_score',
] as const;
export type NumberColumn = (typeof NUMBER_COLUMNS)[number];

/**
 * Values the map colours by that can have more distinct values than a facet's 16-bit codes
 * hold (a system prompt per imported row, a near-duplicate cluster every few records): a
 * 32-bit hash of the value per record, 0 for none. Points group by hash (two values
 * sharing a hash share a colour, about one pair in 10,000 groups); a legend names a group
 * from one of its records.
 */
export const KEY_COLUMNS = ['run', 'system_prompt', 'cluster'] as const;
export type KeyColumn = (typeof KEY_COLUMNS)[number];

/** A record's value for a key column ('' for none): its run, system prompt, duplicate cluster. */
export function keyValue(r: StoredRecord, key: KeyColumn): string {
  if (key === 'run') return r.runId;
  if (key === 'system_prompt') return r.system_prompt ?? '';
  // The cluster is named by its first record; a record alone in its cluster is in none.
  const first = r.min_similar_uuid;
  return first && (first !== r.uuid || (r.repeat_count ?? 0) > 0) ? first : '';
}

/** What a key column holds for a value (0 for none): compare a record's key with it. */
export function stringHash(s: string): number {
  if (s === '') return 0;
  return fnvMix(FNV_OFFSET, s) >>> 0 || 1;
}

const SORT_TEXT_CHARS = 24;

/** Some facets (the tag failure) filter but do not sort. */
const isSortKey = (key: string): key is SortKey => (SORT_KEYS as readonly string[]).includes(key);

/** Facet values as codes; code 0 is '' (no value). */
export class Dict {
  readonly values: string[];
  private readonly codes = new Map<string, number>();
  constructor(values: string[] = ['']) {
    this.values = values;
    values.forEach((v, i) => this.codes.set(v, i));
  }
  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      if (code > 0xffff) throw new Error('More than 65,535 distinct values in one facet.');
      this.values.push(value);
      this.codes.set(value, code);
    }
    return code;
  }
  find(value: string): number | undefined {
    return this.codes.get(value);
  }
}

/** FNV-1a of the shown text: tells a text change (re-index) from a tag change (update in place). */
export function textHash(instruction: string, response: string): number {
  // A zero unit between the two, so moving text across the boundary changes the hash.
  return fnvMix(fnvMix(fnvMix(FNV_OFFSET, instruction), '\0'), response) >>> 0;
}

/** A record's near-duplicate state, as the quality summary and the recipe read it. */
export const DUP_UNCHECKED = 0;
export const DUP_FIRST = 1;
export const DUP_REPEAT = 2;

export function sortText(text: string): string {
  return text.trimStart().slice(0, SORT_TEXT_CHARS).toLowerCase().replace(/\s+/g, ' ');
}

export class Columns {
  n = 0;
  private cap = 0;
  uuids: string[] = [];
  /** uuid -> live ordinal; built on first use (a loaded index answers its first view without it). */
  private ordsMap: Map<string, number> | undefined = new Map();
  private get ords(): Map<string, number> {
    if (!this.ordsMap) {
      this.ordsMap = new Map();
      for (let o = 0; o < this.n; o++) if (this.alive[o]) this.ordsMap.set(this.uuids[o]!, o);
    }
    return this.ordsMap;
  }
  alive = new Uint8Array(0);
  createdAt = new Float64Array(0);
  /** NaN for records from before the change stamp existed. */
  changedAt = new Float64Array(0);
  /** The record's derived row's stamp (store/derived.ts); NaN when it has none. */
  derivedAt = new Float64Array(0);
  textHash = new Uint32Array(0);
  colon = new Uint8Array(0);
  edited = new Uint8Array(0);
  numbers = Object.fromEntries(NUMBER_COLUMNS.map((k) => [k, new Float64Array(0)])) as Record<
    NumberColumn,
    Float64Array
  >;
  facets = Object.fromEntries(FACET_KEYS.map((k) => [k, new Uint16Array(0)])) as Record<
    FacetKey,
    Uint16Array
  >;
  dicts = Object.fromEntries(FACET_KEYS.map((k) => [k, new Dict()])) as Record<FacetKey, Dict>;
  /**
   * What the quality summary, the recipe and export counts read, so they are answered from
   * here instead of re-reading every record: the shown response's length (the recipe's top N
   * reads the edit), near-duplicate state (DUP_*), more than one user turn (Alpaca cannot
   * hold it) and the file's instruct_reward (the authors' filter).
   */
  shownResponseLength = new Uint32Array(0);
  dup = new Uint8Array(0);
  multiTurn = new Uint8Array(0);
  instructReward = new Float64Array(0);
  /** min_similar_uuid of the records that repeat another (DUP_REPEAT), by ordinal: clusters. */
  similarTo = new Map<number, string>();
  keys = Object.fromEntries(KEY_COLUMNS.map((k) => [k, new Uint32Array(0)])) as Record<
    KeyColumn,
    Uint32Array
  >;
  private sortTextArrays: { instruction: string[]; response: string[] } | undefined = {
    instruction: [],
    response: [],
  };
  private sortTextSaved = { instruction: '', response: '' };
  /**
   * Starts of records added since the saved form was loaded, while it is not split: adding
   * a catch-up's records then costs what they are, where splitting 300,000 saved starts
   * first would be paid by the first catch-up of every session (the text sorts split it
   * when they need it).
   */
  private sortTextTail: { instruction: string[]; response: string[] } = {
    instruction: [],
    response: [],
  };
  /** Lowercased text starts by ordinal, for text sorts; split from the saved form on first use. */
  get sortText(): { instruction: string[]; response: string[] } {
    if (!this.sortTextArrays) {
      const tail = this.sortTextTail;
      const saved = this.n - tail.instruction.length;
      const split = (joined: string, added: string[]) => {
        const out = saved ? joined.split('\n') : [];
        for (const s of added) out.push(s);
        return out;
      };
      this.sortTextArrays = {
        instruction: split(this.sortTextSaved.instruction, tail.instruction),
        response: split(this.sortTextSaved.response, tail.response),
      };
      this.sortTextTail = { instruction: [], response: [] };
    }
    return this.sortTextArrays;
  }
  /**
   * Every ordinal's text start joined with '\n', as saved; without splitting a saved form
   * not split yet (the saved part holds the ordinals before the tail's, if any).
   */
  private joinedSortText(key: 'instruction' | 'response'): string {
    if (this.sortTextArrays) return this.sortTextArrays[key].slice(0, this.n).join('\n');
    const tail = this.sortTextTail[key];
    const saved = this.sortTextSaved[key];
    if (!tail.length) return saved;
    return (this.n > tail.length ? `${saved}\n` : '') + tail.join('\n');
  }
  /** Hears when a stored row's value in a sort column changes (appends are not changes). */
  onValueChange: ((key: SortKey, ord: number) => void) | undefined;

  ordOf(uuid: string): number | undefined {
    return this.ords.get(uuid);
  }

  /** Appends the record as a new ordinal. */
  add(record: StoredRecord): number {
    if (this.n === this.cap) this.grow(Math.max(1024, this.cap * 2));
    const ord = this.n++;
    this.uuids[ord] = record.uuid;
    this.ords.set(record.uuid, ord);
    this.alive[ord] = 1;
    const { instruction, response } = shownText(record);
    this.textHash[ord] = textHash(instruction, response);
    if (this.sortTextArrays) {
      this.sortTextArrays.instruction[ord] = sortText(instruction);
      this.sortTextArrays.response[ord] = sortText(response);
    } else {
      this.sortTextTail.instruction.push(sortText(instruction));
      this.sortTextTail.response.push(sortText(response));
    }
    this.write(ord, record, false);
    return ord;
  }

  /** Updates a stored row whose text is unchanged (tags, review, stamps). */
  update(ord: number, record: StoredRecord): void {
    this.write(ord, record, true);
  }

  /**
   * Updates only the columns the given fields feed (a derived row's review, tags or
   * near-duplicate values: none of them touches the text), without the rest of the record.
   * A key present with an undefined value is a cleared field.
   */
  patch(
    ord: number,
    values: Partial<Record<keyof StoredRecord, unknown>>,
    derivedAt: number,
  ): void {
    const r = { ...values, uuid: this.uuids[ord]! } as unknown as StoredRecord;
    this.write(ord, r, true, new Set(Object.keys(values)));
    this.derivedAt[ord] = derivedAt;
  }

  kill(ord: number): void {
    this.alive[ord] = 0;
    this.similarTo.delete(ord);
    if (this.ords.get(this.uuids[ord]!) === ord) this.ords.delete(this.uuids[ord]!);
  }

  /** `only`: the fields given (a patch); every column otherwise. */
  private write(ord: number, r: StoredRecord, track: boolean, only?: Set<string>): void {
    const changed = (key: SortKey) => {
      if (track) this.onValueChange?.(key, ord);
    };
    if (only) {
      this.writeDerivable(ord, r, changed, only);
      return;
    }
    if (this.createdAt[ord] !== r.createdAt) changed('createdAt');
    this.createdAt[ord] = r.createdAt;
    this.changedAt[ord] = r.changedAt ?? NaN;
    this.derivedAt[ord] = r.derivedAt ?? NaN;
    this.colon[ord] = shownText(r).instruction.trimEnd().endsWith(':') ? 1 : 0;
    this.edited[ord] =
      r.edited?.instruction !== undefined || r.edited?.response !== undefined ? 1 : 0;
    this.writeDerivable(ord, r, changed);
    this.shownResponseLength[ord] = shownText(r).response.length;
    this.multiTurn[ord] = isMultiTurn(r) ? 1 : 0;
    this.instructReward[ord] = typeof r.instruct_reward === 'number' ? r.instruct_reward : NaN;
    for (const key of KEY_COLUMNS) this.keys[key][ord] = stringHash(keyValue(r, key));
  }

  /**
   * The columns a record's later fields feed (numbers, facets, near-duplicate state),
   * each only if its field is in `only` when given.
   */
  private writeDerivable(
    ord: number,
    r: StoredRecord,
    changed: (key: SortKey) => void,
    only?: Set<string>,
  ): void {
    for (const key of NUMBER_COLUMNS) {
      if (only && !only.has(key)) continue;
      const v = r[key];
      const value = typeof v === 'number' ? v : NaN;
      const col = this.numbers[key];
      if (!Object.is(col[ord], value)) changed(key);
      col[ord] = value;
    }
    for (const key of FACET_KEYS) {
      if (only && !only.has(key)) continue;
      const code = this.dicts[key].code(facetValue(r, key));
      if (this.facets[key][ord] !== code && isSortKey(key)) changed(key);
      this.facets[key][ord] = code;
    }
    if (only && !only.has('min_similar_uuid')) return;
    const similar = r.min_similar_uuid;
    this.dup[ord] =
      similar === undefined ? DUP_UNCHECKED : similar === r.uuid ? DUP_FIRST : DUP_REPEAT;
    if (this.dup[ord] === DUP_REPEAT) this.similarTo.set(ord, similar!);
    else this.similarTo.delete(ord);
    if (only) this.keys.cluster[ord] = stringHash(keyValue(r, 'cluster'));
  }

  private grow(cap: number): void {
    const more = <T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.alive = more(this.alive);
    this.createdAt = more(this.createdAt);
    this.changedAt = more(this.changedAt);
    this.derivedAt = more(this.derivedAt);
    this.textHash = more(this.textHash);
    this.colon = more(this.colon);
    this.edited = more(this.edited);
    this.shownResponseLength = more(this.shownResponseLength);
    this.dup = more(this.dup);
    this.multiTurn = more(this.multiTurn);
    this.instructReward = more(this.instructReward);
    for (const k of NUMBER_COLUMNS) this.numbers[k] = more(this.numbers[k]);
    for (const k of FACET_KEYS) this.facets[k] = more(this.facets[k]);
    for (const k of KEY_COLUMNS) this.keys[k] = more(this.keys[k]);
    this.cap = cap;
  }

  toData(): ColumnsData {
    const n = this.n;
    return {
      n,
      uuids: joinSafely(this.uuids.slice(0, n)),
      alive: this.alive.slice(0, n),
      createdAt: this.createdAt.slice(0, n),
      changedAt: this.changedAt.slice(0, n),
      derivedAt: this.derivedAt.slice(0, n),
      textHash: this.textHash.slice(0, n),
      colon: this.colon.slice(0, n),
      edited: this.edited.slice(0, n),
      numbers: Object.fromEntries(NUMBER_COLUMNS.map((k) => [k, this.numbers[k].slice(0, n)])),
      facets: Object.fromEntries(
        FACET_KEYS.map((k) => [
          k,
          { codes: this.facets[k].slice(0, n), values: [...this.dicts[k].values] },
        ]),
      ),
      keys: Object.fromEntries(KEY_COLUMNS.map((k) => [k, this.keys[k].slice(0, n)])),
      sortText: {
        instruction: this.joinedSortText('instruction'),
        response: this.joinedSortText('response'),
      },
      quality: {
        shownResponseLength: this.shownResponseLength.slice(0, n),
        dup: this.dup.slice(0, n),
        multiTurn: this.multiTurn.slice(0, n),
        instructReward: this.instructReward.slice(0, n),
        similarOrds: Uint32Array.from(this.similarTo.keys()),
        similarUuids: [...this.similarTo.values()],
      },
    };
  }

  static fromData(d: ColumnsData): Columns {
    const c = new Columns();
    const n = d.n;
    const uuids = typeof d.uuids !== 'string' ? d.uuids : n ? d.uuids.split('\n') : [];
    const q = d.quality;
    const lengthsOk =
      uuids.length === n &&
      [
        d.alive,
        d.createdAt,
        d.changedAt,
        d.derivedAt ?? d.changedAt,
        d.textHash,
        d.colon,
        d.edited,
        q.shownResponseLength,
        q.dup,
        q.multiTurn,
        q.instructReward,
      ].every((a) => a.length === n) &&
      q.similarOrds.length === q.similarUuids.length &&
      NUMBER_COLUMNS.every((k) => d.numbers[k]?.length === n) &&
      FACET_KEYS.every((k) => d.facets[k]?.codes.length === n) &&
      KEY_COLUMNS.every((k) => d.keys?.[k]?.length === n);
    if (!lengthsOk) throw new Error('The saved explorer index is inconsistent.');
    // Room to append: at exactly n, the first record a catch-up adds copies every column.
    c.grow(Math.max(1024, n + (n >> 2)));
    c.n = n;
    c.uuids = uuids;
    c.alive.set(d.alive);
    c.createdAt.set(d.createdAt);
    c.changedAt.set(d.changedAt);
    // Saved before derived rows existed: the index knows none.
    if (d.derivedAt) c.derivedAt.set(d.derivedAt);
    else c.derivedAt.fill(NaN);
    c.textHash.set(d.textHash);
    c.colon.set(d.colon);
    c.edited.set(d.edited);
    c.shownResponseLength.set(q.shownResponseLength);
    c.dup.set(q.dup);
    c.multiTurn.set(q.multiTurn);
    c.instructReward.set(q.instructReward);
    q.similarOrds.forEach((ord, i) => c.similarTo.set(ord, q.similarUuids[i]!));
    for (const k of NUMBER_COLUMNS) c.numbers[k].set(d.numbers[k]!);
    for (const k of FACET_KEYS) {
      c.facets[k].set(d.facets[k]!.codes);
      c.dicts[k] = new Dict([...d.facets[k]!.values]);
    }
    for (const k of KEY_COLUMNS) c.keys[k].set(d.keys![k]!);
    c.sortTextArrays = undefined;
    c.sortTextSaved = d.sortText;
    c.ordsMap = undefined;
    return c;
  }
}

/** One string when no uuid holds a newline (imported ones might); the list otherwise. */
function joinSafely(uuids: string[]): string | string[] {
  return uuids.some((u) => u.includes('\n')) ? uuids : uuids.join('\n');
}
