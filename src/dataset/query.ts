/**
 * One pass over the columns answers a view: which ordinals pass the filter (the same rules
 * as recordMatches, read from columns), the facet counts under the rest of the filter,
 * the view's shape for the charts, then the view in sort order by walking the cached order.
 */
import type { FacetCount, SortSpec, TagColumn, ViewShape } from '../shared/explorer-api';
import { TAG_COLUMNS } from '../shared/explorer-api';
import { FACET_KEYS, RANGE_KEYS, type FacetKey, type ViewFilter } from '../shared/filter';
import { NUMBER_COLUMNS, type Columns, type NumberColumn } from './columns';
import { facetRanks, type SortOrders } from './sort-orders';

const BINS = 24;

export interface ViewAnswer {
  /** Ordinals in view order. */
  order: Uint32Array;
  facets: Record<FacetKey, FacetCount[]>;
  shape: ViewShape;
}

/**
 * `textBits`: ordinals passing the search (null: no search). Facet counts for a facet
 * count records passing everything but that facet, so a curator sees what choosing
 * another value would show.
 */
export function answerView(
  cols: Columns,
  orders: SortOrders,
  filter: ViewFilter,
  sort: SortSpec,
  textBits: Uint32Array | null,
): ViewAnswer {
  const n = cols.n;
  const { alive, colon } = cols;
  // Plain arrays and indexed loops: this loop runs over every record on every query.
  const rangeKeys = RANGE_KEYS.filter((key) => filter.ranges?.[key]);
  const rangeCols = rangeKeys.map((key) => cols.numbers[key]);
  const lo = rangeKeys.map((key) => filter.ranges![key]![0] ?? -Infinity);
  const hi = rangeKeys.map((key) => filter.ranges![key]![1] ?? Infinity);
  const nRanges = rangeKeys.length;
  const colonWanted = filter.endsWithColon === undefined ? -1 : filter.endsWithColon ? 1 : 0;
  const F = FACET_KEYS.length;
  const facetCodes = FACET_KEYS.map((k) => cols.facets[k]);
  const activeF: number[] = [];
  const activeOk: Uint8Array[] = [];
  FACET_KEYS.forEach((key, f) => {
    const wanted = filter.facets?.[key];
    if (!wanted?.length) return;
    const dict = cols.dicts[key];
    const ok = new Uint8Array(dict.values.length);
    for (const v of wanted) {
      const code = dict.find(v);
      if (code !== undefined) ok[code] = 1;
    }
    activeF.push(f);
    activeOk.push(ok);
  });
  const nActive = activeF.length;
  const activeCodes = activeF.map((f) => facetCodes[f]!);
  const counts = FACET_KEYS.map((k) => new Uint32Array(cols.dicts[k].values.length));
  /** For chosen facets, counts inside the view (for the others they equal `counts`). */
  const viewCounts = activeF.map((f) => new Uint32Array(counts[f]!.length));
  const iHist = histogram(cols, 'instruction_length');
  const rHist = histogram(cols, 'response_length');
  const iLen = cols.numbers.instruction_length;
  const rLen = cols.numbers.response_length;
  const inView = new Uint8Array(n);
  let total = 0;

  for (let o = 0; o < n; o++) {
    if (alive[o] === 0) continue;
    if (textBits !== null && (textBits[o >>> 5]! & (1 << (o & 31))) === 0) continue;
    let pass = true;
    for (let k = 0; k < nRanges; k++) {
      const v = rangeCols[k]![o]!;
      if (!(v >= lo[k]! && v <= hi[k]!)) {
        pass = false; // NaN (no value) fails too, as in recordMatches
        break;
      }
    }
    if (!pass || (colonWanted >= 0 && colon[o] !== colonWanted)) continue;
    let failed = -1;
    let fails = 0;
    for (let a = 0; a < nActive; a++) {
      if (activeOk[a]![activeCodes[a]![o]!] === 0) {
        failed = activeF[a]!;
        if (++fails > 1) break;
      }
    }
    if (fails > 1) continue;
    if (fails === 1) {
      counts[failed]![facetCodes[failed]![o]!]!++;
      continue;
    }
    inView[o] = 1;
    total++;
    for (let f = 0; f < F; f++) counts[f]![facetCodes[f]![o]!]!++;
    for (let a = 0; a < nActive; a++) viewCounts[a]![activeCodes[a]![o]!]!++;
    const ib = (iLen[o]! / iHist.binWidth) | 0;
    iHist.counts[ib < iHist.counts.length ? ib : iHist.counts.length - 1]!++;
    const rb = (rLen[o]! / rHist.binWidth) | 0;
    rHist.counts[rb < rHist.counts.length ? rb : rHist.counts.length - 1]!++;
  }

  return {
    order: inSortOrder(orders, sort, inView, total),
    facets: Object.fromEntries(
      FACET_KEYS.map((k, f) => [k, facetList(cols, k, counts[f]!, filter.facets?.[k])]),
    ) as Record<FacetKey, FacetCount[]>,
    shape: {
      byFacet: Object.fromEntries(
        FACET_KEYS.map((k, f) => {
          const a = activeF.indexOf(f);
          return [k, facetList(cols, k, a >= 0 ? viewCounts[a]! : counts[f]!, undefined)];
        }),
      ) as Record<FacetKey, FacetCount[]>,
      instructionLengths: { binWidth: iHist.binWidth, counts: Array.from(iHist.counts) },
      responseLengths: { binWidth: rHist.binWidth, counts: Array.from(rHist.counts) },
    },
  };
}

function inSortOrder(
  orders: SortOrders,
  sort: SortSpec,
  inView: Uint8Array,
  total: number,
): Uint32Array {
  const { perm, present } = orders.get(sort.key);
  const out = new Uint32Array(total);
  let k = 0;
  if (sort.desc) {
    for (let p = present - 1; p >= 0; p--) if (inView[perm[p]!]) out[k++] = perm[p]!;
  } else {
    for (let p = 0; p < present; p++) if (inView[perm[p]!]) out[k++] = perm[p]!;
  }
  for (let p = present; p < perm.length; p++) if (inView[perm[p]!]) out[k++] = perm[p]!;
  return out;
}

/** Values with a count (and chosen ones, even at 0), in the facet's display order. */
function facetList(
  cols: Columns,
  key: FacetKey,
  counts: Uint32Array,
  chosen: string[] | undefined,
): FacetCount[] {
  const values = cols.dicts[key].values;
  const ranks = facetRanks(key, values);
  const list: { value: string; count: number; rank: number }[] = [];
  values.forEach((value, code) => {
    const count = counts[code] ?? 0;
    if (count || chosen?.includes(value)) list.push({ value, count, rank: ranks[code]! });
  });
  for (const value of chosen ?? [])
    if (!values.includes(value)) list.push({ value, count: 0, rank: Infinity });
  return list.sort((a, b) => a.rank - b.rank).map(({ value, count }) => ({ value, count }));
}

/** Length histogram with bins sized from the dataset's longest value (stable across filters). */
function histogram(cols: Columns, key: 'instruction_length' | 'response_length') {
  const col = cols.numbers[key];
  let max = 0;
  for (let o = 0; o < cols.n; o++) if (cols.alive[o] && col[o]! > max) max = col[o]!;
  const binWidth = niceWidth(max / BINS);
  const bins = Math.max(1, Math.min(BINS, Math.ceil((max + 1) / binWidth)));
  return { binWidth, counts: new Uint32Array(bins) };
}

/** The next 1, 2 or 5 x 10^k at or above `raw`. */
function niceWidth(raw: number): number {
  if (raw <= 1) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** Tag columns holding a value in at least one live record. */
export function presentTags(cols: Columns): TagColumn[] {
  return TAG_COLUMNS.filter((key) => {
    if ((NUMBER_COLUMNS as readonly string[]).includes(key)) {
      const col = cols.numbers[key as NumberColumn];
      for (let o = 0; o < cols.n; o++) if (cols.alive[o] && !Number.isNaN(col[o])) return true;
      return false;
    }
    const codes = cols.facets[key as FacetKey];
    for (let o = 0; o < cols.n; o++) if (cols.alive[o] && codes[o] !== 0) return true;
    return false;
  });
}
