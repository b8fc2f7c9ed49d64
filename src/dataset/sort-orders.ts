/**
 * Sort orders over every ordinal, one per sort key, kept between queries: a query then
 * only walks the order and keeps the rows its filter passes (a few ms at 300,000), instead
 * of sorting. Orders are ascending with records lacking the value at the end, ties by
 * creation time then ordinal. New ordinals and changed values are patched in (sorted
 * alone, merged: O(n)); only a large change rebuilds. Numbers sort natively (a
 * Float64Array of packed rank + tiebreak keys, several times faster than a comparator);
 * text needs a comparator, so its orders are built in the background and saved.
 */
import type { SortKey } from '../shared/explorer-api';
import { FACET_KEYS, type FacetKey } from '../shared/filter';
import { DIFFICULTIES, INPUT_QUALITIES } from '../shared/record';
import { NUMBER_COLUMNS, type Columns, type NumberColumn } from './columns';
import type { SavedOrder } from '../store/snapshot-format';

export interface Order {
  /** Ordinals: `present` with a value, ascending, then those without (in creation order). */
  perm: Uint32Array;
  present: number;
  /** Ordinals [0, n) covered. */
  n: number;
}

/** Above this many changed ordinals a key's order is rebuilt rather than patched. */
const PATCH_LIMIT = 20_000;

/** Display and sort order of known facet values; others sort alphabetically, '' last. */
const VALUE_ORDER: Partial<Record<FacetKey, readonly string[]>> = {
  review: ['unreviewed', 'kept', 'rejected'],
  input_quality: INPUT_QUALITIES,
  difficulty: DIFFICULTIES,
  finish: ['stop', 'length', 'abort'],
};

export function facetRanks(key: FacetKey, values: readonly string[]): Uint32Array {
  const known = VALUE_ORDER[key] ?? [];
  const sorted = values
    .map((v, code) => ({ v, code }))
    .sort((a, b) => {
      if (a.v === '' || b.v === '') return a.v === '' ? (b.v === '' ? 0 : 1) : -1;
      const ka = known.indexOf(a.v);
      const kb = known.indexOf(b.v);
      if (ka >= 0 || kb >= 0) return (ka < 0 ? Infinity : ka) - (kb < 0 ? Infinity : kb);
      return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
    });
  const ranks = new Uint32Array(values.length);
  sorted.forEach(({ code }, rank) => (ranks[code] = rank));
  return ranks;
}

const isFacet = (key: SortKey): key is FacetKey & SortKey =>
  (FACET_KEYS as readonly string[]).includes(key);
const isNumber = (key: SortKey): key is NumberColumn =>
  (NUMBER_COLUMNS as readonly string[]).includes(key);

export class SortOrders {
  private cache = new Map<SortKey, Order>();
  /** Ordinals whose value changed since the cached order was made, per key. */
  private changed = new Map<SortKey, Set<number>>();

  constructor(private readonly cols: Columns) {
    cols.onValueChange = (key, ord) => {
      if (!this.cache.has(key)) return;
      const set = this.changed.get(key) ?? new Set();
      set.add(ord);
      this.changed.set(key, set);
      if (set.size > PATCH_LIMIT) {
        this.cache.delete(key);
        this.changed.delete(key);
      }
    };
  }

  has(key: SortKey): boolean {
    return this.cache.has(key);
  }

  get(key: SortKey): Order {
    const cached = this.cache.get(key);
    const changed = this.changed.get(key);
    let order: Order;
    if (cached && !changed && cached.n === this.cols.n) return cached;
    if (cached && this.cols.n - cached.n + (changed?.size ?? 0) <= PATCH_LIMIT)
      order = this.patch(key, cached, changed ?? new Set());
    else order = this.build(key);
    this.cache.set(key, order);
    this.changed.delete(key);
    return order;
  }

  /** Orders up to date with the columns, for saving. */
  saved(): SavedOrder[] {
    return [...this.cache.keys()].map((key) => {
      const o = this.get(key);
      return { key, perm: o.perm, present: o.present, n: o.n };
    });
  }

  /** Takes orders saved with the index; the columns were saved at the same moment. */
  restore(orders: SavedOrder[]): void {
    for (const o of orders)
      if (o.n <= this.cols.n && o.perm.length === o.n && o.present <= o.n)
        this.cache.set(o.key as SortKey, { perm: o.perm, present: o.present, n: o.n });
  }

  /** Compares two ordinals under `key` (value, then creation time, then ordinal). */
  private comparator(key: SortKey): (a: number, b: number) => number {
    const c = this.cols;
    const created = c.createdAt;
    const tie = (a: number, b: number) => created[a]! - created[b]! || a - b;
    if (key === 'createdAt') return tie;
    if (key === 'instruction' || key === 'response') {
      const s = c.sortText[key];
      return (a, b) => (s[a]! < s[b]! ? -1 : s[a]! > s[b]! ? 1 : tie(a, b));
    }
    if (isFacet(key)) {
      const ranks = facetRanks(key, c.dicts[key].values);
      const codes = c.facets[key];
      return (a, b) => ranks[codes[a]!]! - ranks[codes[b]!]! || tie(a, b);
    }
    const v = c.numbers[key as NumberColumn];
    return (a, b) => v[a]! - v[b]! || tie(a, b);
  }

  /** Which ordinals have a value for `key`. */
  private present(key: SortKey, n: number): Uint8Array {
    const has = new Uint8Array(n);
    if (isFacet(key)) {
      const codes = this.cols.facets[key];
      for (let o = 0; o < n; o++) has[o] = codes[o] === 0 ? 0 : 1;
    } else if (isNumber(key)) {
      const v = this.cols.numbers[key];
      for (let o = 0; o < n; o++) has[o] = v[o] === v[o] ? 1 : 0; // NaN: no value
    } else has.fill(1);
    return has;
  }

  private build(key: SortKey): Order {
    const n = this.cols.n;
    const has = this.present(key, n);
    let count = 0;
    for (let o = 0; o < n; o++) count += has[o]!;
    const perm = new Uint32Array(n);
    if (isFacet(key)) {
      // Few values: a counting sort over creation order, O(n).
      const codes = this.cols.facets[key];
      const ranks = facetRanks(key, this.cols.dicts[key].values);
      const starts = new Uint32Array(ranks.length + 1);
      for (let o = 0; o < n; o++) starts[ranks[codes[o]!]! + 1]!++;
      for (let r = 1; r < starts.length; r++) starts[r]! += starts[r - 1]!;
      for (const o of this.get('createdAt').perm) perm[starts[ranks[codes[o]!]!]!++] = o;
      return { perm, present: count, n };
    }
    const ords = new Uint32Array(count);
    for (let o = 0, k = 0; o < n; o++) if (has[o]) ords[k++] = o;
    if (key === 'createdAt') perm.set(nativeOrder(ords, this.cols.createdAt, null));
    else if (isNumber(key))
      perm.set(nativeOrder(ords, this.cols.numbers[key], this.get('createdAt')));
    else perm.set(ords.sort(this.comparator(key)));
    if (count < n) {
      // No value: creation order.
      let k = count;
      for (const o of this.get('createdAt').perm) if (!has[o]) perm[k++] = o;
    }
    return { perm, present: count, n };
  }

  /** Sorts new and changed ordinals alone and merges them into the cached order. */
  private patch(key: SortKey, old: Order, changed: Set<number>): Order {
    const n = this.cols.n;
    const cmp = this.comparator(key);
    const created = this.cols.createdAt;
    const tie = (a: number, b: number) => created[a]! - created[b]! || a - b;
    const has = this.present(key, n);
    const fresh: number[] = [...changed];
    for (let o = old.n; o < n; o++) fresh.push(o);
    const add = fresh.filter((o) => has[o]).sort(cmp);
    const addMissing = fresh.filter((o) => !has[o]).sort(tie);
    const perm = new Uint32Array(n);
    const merge = (from: number, to: number, extra: number[], by: typeof cmp, k: number) => {
      let i = from;
      let j = 0;
      for (;;) {
        while (i < to && changed.has(old.perm[i]!)) i++;
        if (i >= to && j >= extra.length) return k;
        if (j >= extra.length || (i < to && by(old.perm[i]!, extra[j]!) <= 0))
          perm[k++] = old.perm[i++]!;
        else perm[k++] = extra[j++]!;
      }
    };
    const present = merge(0, old.present, add, cmp, 0);
    merge(old.present, old.n, addMissing, tie, present);
    return { perm, present, n };
  }
}

/**
 * Orders `ords` by `values`, ties by position in `tieOrder` (or by ordinal): each value
 * becomes its rank among the distinct values, packed with the tiebreak into one float that
 * a native typed-array sort orders exactly (rank and tiebreak fit in 53 bits).
 */
function nativeOrder(ords: Uint32Array, values: Float64Array, tieOrder: Order | null): Uint32Array {
  const m = ords.length;
  if (!m) return ords;
  const distinct = new Float64Array(m);
  for (let i = 0; i < m; i++) distinct[i] = values[ords[i]!]!;
  distinct.sort();
  let d = 0;
  for (let i = 0; i < m; i++)
    if (i === 0 || distinct[i] !== distinct[d - 1]) distinct[d++] = distinct[i]!;
  let pos: Uint32Array | null = null;
  if (tieOrder) {
    pos = new Uint32Array(tieOrder.n);
    const p = tieOrder.perm;
    for (let i = 0; i < p.length; i++) pos[p[i]!] = i;
  }
  const scale = 2 ** Math.ceil(Math.log2((tieOrder ? tieOrder.n : values.length) + 1));
  const keys = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const o = ords[i]!;
    const v = values[o]!;
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    keys[i] = lo * scale + (pos ? pos[o]! : o);
  }
  keys.sort();
  const out = new Uint32Array(m);
  const back = tieOrder?.perm;
  for (let i = 0; i < m; i++) {
    const k = keys[i]!;
    const t = k - Math.floor(k / scale) * scale;
    out[i] = back ? back[t]! : t;
  }
  return out;
}
