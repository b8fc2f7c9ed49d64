/**
 * The explorer worker's side of the map: the stored layout joined to the open dataset's
 * columns. It resolves region filters (which ordinals lie in a polygon) and answers what
 * the page draws (positions of live records, colours from the columns, the view's
 * highlight), so the page never holds records and the map reads what the table reads.
 */
import type { DatasetIndex } from '../dataset/dataset-index';
import { keyValue, type KeyColumn } from '../dataset/columns';
import {
  OTHER_VALUE,
  isFacetColor,
  isKeyColor,
  type MapColorField,
  type MapLegendEntry,
  type MapOverlay,
  type MapPointRecord,
  type MapPoints,
} from '../shared/map-api';
import { coverage } from '../shared/coverage';
import { shownText } from '../shared/filter';
import { regionTest } from '../shared/region';
import type { MagpieDB } from '../store/db';
import { getRecord } from '../store/derived';
import { LayoutJoin, type Joined } from './layout-join';

/** Distinct colours the page has; further values share the last ("other"). */
export const MAX_LEGEND = 12;

/** The groups that get a colour of their own: all, or the largest but one and "other". */
function legendSlots(ranked: number[]): number[] {
  return ranked.length > MAX_LEGEND ? ranked.slice(0, MAX_LEGEND - 1) : ranked;
}

function addOther(legend: MapLegendEntry[], ranked: number[], count: (g: number) => number) {
  if (ranked.length <= MAX_LEGEND) return;
  let rest = 0;
  for (const g of ranked.slice(MAX_LEGEND - 1)) rest += count(g);
  legend.push({ value: OTHER_VALUE, count: rest });
}

/**
 * Colours by run, system prompt or duplicate cluster (hashed key columns): the largest
 * groups get colours, each named from one of its records (read from the store: a dozen).
 */
async function keyColors(
  db: MagpieDB,
  ix: DatasetIndex,
  key: KeyColumn,
  ords: Uint32Array,
  color: Float32Array,
): Promise<MapLegendEntry[]> {
  const hashes = ix.cols.keys[key];
  const counts = new Map<number, number>();
  const sample = new Map<number, number>();
  for (let k = 0; k < ords.length; k++) {
    const h = hashes[ords[k]!]!;
    const c = counts.get(h);
    counts.set(h, (c ?? 0) + 1);
    if (c === undefined) sample.set(h, ords[k]!);
  }
  const ranked = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a - b);
  const shown = legendSlots(ranked);
  const slot = new Map(shown.map((h, i) => [h, i]));
  for (let k = 0; k < ords.length; k++) color[k] = slot.get(hashes[ords[k]!]!) ?? MAX_LEGEND - 1;
  const legend = await Promise.all(
    shown.map(async (h) => {
      const record = await getRecord(db, ix.cols.uuids[sample.get(h)!]!);
      const value = record ? keyValue(record, key) : '';
      return { value, count: counts.get(h)!, label: await keyLabel(db, key, value) };
    }),
  );
  addOther(legend, ranked, (h) => counts.get(h)!);
  return legend;
}

const short = (text: string, max = 80) =>
  text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;

/** A readable name for a run, a system prompt or a cluster (named by its first instruction). */
async function keyLabel(db: MagpieDB, key: KeyColumn, value: string): Promise<string> {
  if (key === 'system_prompt') return value ? short(value) : 'no system prompt';
  if (key === 'cluster') {
    if (!value) return 'not a near-duplicate';
    const first = await getRecord(db, value);
    return first ? `like “${short(shownText(first).instruction, 60)}”` : `cluster ${value}`;
  }
  const run = await db.runs.get(value);
  if (run) return `${run.model}, ${new Date(run.createdAt).toLocaleString()}`;
  return value.startsWith('import:') ? `import ${value.slice(7, 15)}` : value;
}

export class MapJoin {
  private readonly layouts: LayoutJoin;
  /** Coverage of the other datasets on the map, for the join it was counted against. */
  private overlaysOf: { key: string; overlays: MapOverlay[] } | undefined;

  constructor(dbName: () => string) {
    this.layouts = new LayoutJoin(dbName);
  }

  /** Reads and joins the open dataset's layout ahead of the first draw or region filter. */
  async prepare(db: MagpieDB, ix: DatasetIndex): Promise<void> {
    await this.layouts.join(db, ix);
  }

  /** Ordinals inside the region, as a bitset over ordinals (all clear without a map). */
  async regionBits(db: MagpieDB, ix: DatasetIndex, region: number[]): Promise<Uint32Array> {
    const bits = new Uint32Array((ix.cols.n + 31) >>> 5);
    const joined = await this.layouts.join(db, ix);
    if (!joined) return bits;
    const test = regionTest(region);
    const { xy } = joined.layout;
    for (let k = 0; k < joined.ords.length; k++) {
      const p = joined.points[k]!;
      if (test(xy[2 * p]!, xy[2 * p + 1]!)) {
        const o = joined.ords[k]!;
        bits[o >>> 5]! |= 1 << (o & 31);
      }
    }
    return bits;
  }

  async points(
    db: MagpieDB,
    ix: DatasetIndex,
    colorBy: MapColorField,
    view: Uint32Array | undefined,
    layoutStamp?: number,
  ): Promise<MapPoints | null> {
    const joined = await this.layouts.join(db, ix, layoutStamp);
    if (!joined) return null;
    const { layout, ords, points } = joined;
    const n = ords.length;
    const xy = new Float32Array(n * 2);
    for (let k = 0; k < n; k++) {
      xy[2 * k] = layout.xy[2 * points[k]!]!;
      xy[2 * k + 1] = layout.xy[2 * points[k]! + 1]!;
    }
    const color = new Float32Array(n);
    let legend: MapLegendEntry[] = [];
    let range: [number, number] | undefined;
    if (colorBy !== 'none' && isFacetColor(colorBy)) {
      const codes = ix.cols.facets[colorBy];
      const values = ix.cols.dicts[colorBy].values;
      const counts = new Uint32Array(values.length);
      for (let k = 0; k < n; k++) counts[codes[ords[k]!]!]!++;
      const ranked = [...counts.keys()].filter((c) => counts[c]! > 0);
      ranked.sort((a, b) => counts[b]! - counts[a]! || (values[a]! < values[b]! ? -1 : 1));
      const slot = new Uint16Array(values.length).fill(MAX_LEGEND - 1);
      const shown = legendSlots(ranked);
      shown.forEach((c, i) => (slot[c] = i));
      legend = shown.map((c) => ({ value: values[c]!, count: counts[c]! }));
      addOther(legend, ranked, (c) => counts[c]!);
      for (let k = 0; k < n; k++) color[k] = slot[codes[ords[k]!]!]!;
    } else if (colorBy !== 'none' && isKeyColor(colorBy)) {
      legend = await keyColors(db, ix, colorBy, ords, color);
    } else if (colorBy !== 'none') {
      const column = ix.cols.numbers[colorBy];
      let lo = Infinity;
      let hi = -Infinity;
      let missing = 0;
      for (let k = 0; k < n; k++) {
        const v = column[ords[k]!]!;
        if (Number.isNaN(v)) missing++;
        else {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      range = lo <= hi ? [lo, hi] : [0, 0];
      const span = hi > lo ? hi - lo : 1;
      for (let k = 0; k < n; k++) {
        const v = column[ords[k]!]!;
        color[k] = Number.isNaN(v) ? NaN : (v - range[0]) / span;
      }
      legend = [{ value: 'value', count: n - missing }];
      if (missing) legend.push({ value: '', count: missing });
    }
    let highlight: Uint8Array | undefined;
    let inView: number | undefined;
    if (view) {
      const inViewBits = new Uint8Array(ix.cols.n);
      for (let i = 0; i < view.length; i++) inViewBits[view[i]!] = 1;
      highlight = new Uint8Array(n);
      inView = 0;
      for (let k = 0; k < n; k++) inView += highlight[k] = inViewBits[ords[k]!]!;
    }
    return {
      datasetId: ix.datasetId,
      key: joined.key,
      method: layout.method,
      computedAt: layout.computedAt,
      placedLater: layout.placedLater,
      unplaced: Math.max(0, ix.aliveCount - n),
      xy,
      color,
      legend,
      ...(range && { range }),
      ...(highlight && { highlight, inView }),
      labels: layout.labels,
      overlays: this.overlays(joined, xy),
    };
  }

  /** Other datasets on this map, with coverage against its live points (kept per join). */
  private overlays(joined: Joined, xy: Float32Array): MapOverlay[] {
    if (this.overlaysOf?.key === joined.key) return this.overlaysOf.overlays;
    const overlays = (joined.layout.overlays ?? []).map((o) => ({
      datasetId: o.datasetId,
      xy: o.xy,
      novel: o.novel,
      labels: o.labels,
      computedAt: o.computedAt,
      coverage: coverage(xy, o.xy),
    }));
    this.overlaysOf = { key: joined.key, overlays };
    return overlays;
  }

  /** The record behind point k of the answer with this key (null if the map moved on). */
  async pointAt(
    db: MagpieDB,
    ix: DatasetIndex,
    key: string,
    k: number,
  ): Promise<MapPointRecord | null> {
    const joined = await this.layouts.join(db, ix);
    if (!joined || joined.key !== key || k < 0 || k >= joined.ords.length) return null;
    const uuid = ix.cols.uuids[joined.ords[k]!]!;
    const record = await getRecord(db, uuid);
    return record ? { uuid, instruction: shownText(record).instruction.slice(0, 600) } : null;
  }
}
