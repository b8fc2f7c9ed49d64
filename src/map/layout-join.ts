/**
 * The open dataset's stored map layout, held in the dataset worker, and joined to the
 * index's live ordinals. The row is read once and held until a write to it is heard of:
 * Dexie's change notice (any context), or a stamp the page passes on from the map worker's
 * answer, since the page can ask before that worker's notice reaches this one. The join
 * looks every point up once per layout; later it follows the index by what changed
 * (records deleted, added or moved to a new ordinal by an edit), so a region filter on a
 * dataset that is being written to does not look 300,000 points up again.
 */
import { Dexie } from 'dexie';
import type { Columns } from '../dataset/columns';
import type { DatasetIndex } from '../dataset/dataset-index';
import type { MagpieDB } from '../store/db';
import { layoutUuids, type MapLayoutRow } from '../store/map-layout-format';
import { layoutStamp } from './layout-stamp';

export interface Joined {
  layout: MapLayoutRow;
  /** Identifies this join's points (changes with the layout and with the points' ordinals). */
  key: string;
  /** Live points: their ordinal and their index in the layout. */
  ords: Uint32Array;
  points: Uint32Array;
}

/** Every layout point's live ordinal, kept up to date with the index. */
interface Resolved {
  layout: MapLayoutRow;
  cols: Columns;
  /** Layout point -> live ordinal, -1 for none. */
  ordOf: Int32Array;
  /** Points without a live ordinal, by uuid: a record added later (or again) may be one. */
  missing: Map<string, number>;
  /** Ordinals below this were looked at. */
  seen: number;
}

export class LayoutJoin {
  private held: { datasetId: string; row: MapLayoutRow | null; stamp: number } | undefined;
  private reading:
    { datasetId: string; heard: number; row: Promise<MapLayoutRow | null> } | undefined;
  /** Counts change notices, so a read that a notice overtook is not held. */
  private heard = 0;
  private resolved: Resolved | undefined;
  private joined: Joined | undefined;
  private generation = 0;

  constructor(dbName: () => string) {
    Dexie.on('storagemutated', (parts) => {
      const prefix = `idb://${dbName()}/mapLayouts/`;
      if (Object.keys(parts).some((k) => k.startsWith(prefix))) {
        this.heard++;
        this.held = undefined;
      }
    });
  }

  /** The layout as held; read again when none is held or the page knows of a later write. */
  private async load(
    db: MagpieDB,
    datasetId: string,
    atLeast: number,
  ): Promise<MapLayoutRow | null> {
    const held = this.held;
    if (held?.datasetId === datasetId && held.stamp >= atLeast) return held.row;
    // One read at a time: the read ahead at open and the first draw must not both read it.
    const heard = this.heard;
    const reading = this.reading;
    if (reading?.datasetId === datasetId && reading.heard === heard) {
      const row = await reading.row;
      if ((row ? layoutStamp(row) : 0) >= atLeast) return row;
    }
    const read = db.mapLayouts.get(datasetId).then((r) => r ?? null);
    this.reading = { datasetId, heard, row: read };
    const row = await read;
    if (this.reading?.row === read) this.reading = undefined;
    const stamp = row ? layoutStamp(row) : 0;
    // Held unless a write was heard of meanwhile, or the row is older than one the caller knows.
    if (heard === this.heard && stamp >= atLeast) this.held = { datasetId, row, stamp };
    return row;
  }

  /**
   * The layout joined to the index's live ordinals; null when the dataset has no map.
   * `atLeast`: the stamp of a write the caller knows of (layoutStamp).
   */
  async join(db: MagpieDB, ix: DatasetIndex, atLeast = 0): Promise<Joined | null> {
    const layout = await this.load(db, ix.datasetId, atLeast);
    if (!layout) return null;
    let r = this.resolved;
    let changed = false;
    if (r?.layout !== layout || r.cols !== ix.cols) {
      r = this.resolved = resolve(layout, ix.cols);
      changed = true;
    } else changed = follow(r);
    if (changed || !this.joined) {
      const { ords, points } = live(r.ordOf);
      const key = `${ix.datasetId}:${layoutStamp(layout)}:${++this.generation}`;
      this.joined = { layout, key, ords, points };
    }
    return this.joined;
  }
}

function resolve(layout: MapLayoutRow, cols: Columns): Resolved {
  const uuids = layoutUuids(layout);
  const ordOf = new Int32Array(uuids.length);
  const missing = new Map<string, number>();
  for (let p = 0; p < uuids.length; p++) {
    const ord = cols.ordOf(uuids[p]!);
    ordOf[p] = ord ?? -1;
    if (ord === undefined) missing.set(uuids[p]!, p);
  }
  return { layout, cols, ordOf, missing, seen: cols.n };
}

/** Takes in what changed in the index since: dead ordinals out, new ordinals of layout points in. */
function follow(r: Resolved): boolean {
  const { cols, ordOf, missing } = r;
  const { alive, uuids } = cols;
  let changed = false;
  for (let p = 0; p < ordOf.length; p++) {
    const ord = ordOf[p]!;
    if (ord >= 0 && !alive[ord]) {
      ordOf[p] = -1;
      missing.set(uuids[ord]!, p);
      changed = true;
    }
  }
  if (missing.size)
    for (let ord = r.seen; ord < cols.n; ord++) {
      const p = alive[ord] ? missing.get(uuids[ord]!) : undefined;
      if (p === undefined) continue;
      ordOf[p] = ord;
      missing.delete(uuids[ord]!);
      changed = true;
    }
  r.seen = cols.n;
  return changed;
}

function live(ordOf: Int32Array): { ords: Uint32Array; points: Uint32Array } {
  let n = 0;
  for (let p = 0; p < ordOf.length; p++) if (ordOf[p]! >= 0) n++;
  const ords = new Uint32Array(n);
  const points = new Uint32Array(n);
  let k = 0;
  for (let p = 0; p < ordOf.length; p++)
    if (ordOf[p]! >= 0) {
      ords[k] = ordOf[p]!;
      points[k++] = p;
    }
  return { ords, points };
}
