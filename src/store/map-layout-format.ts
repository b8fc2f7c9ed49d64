/**
 * What the map stores per dataset (IndexedDB tables mapLayouts and mapModels), so reopening
 * the map reads two values instead of recomputing. The layout is what every reader needs
 * (the page draws it, the explorer resolves region filters against it); the model is what
 * placing later records needs, and only the map worker reads it.
 */
import type { MapLabel, MapMethod } from '../shared/map-api';

export interface MapLayoutRow {
  datasetId: string;
  method: MapMethod;
  seed: number;
  /** The embedding model for 'semantic'. */
  modelId?: string;
  /** Changes whenever positions change (a compute, records placed later): readers cache by it. */
  version: number;
  /** Change stamp up to which the dataset's records were looked at. */
  watermark: number;
  /** Point k is the record uuids[k] (joined with '\n': one string clones far faster than 300,000). */
  uuids: string;
  /** x, y of point k at 2k, 2k+1, in [-1, 1]. */
  xy: Float32Array;
  /** Points placed after the fit, against its sample (approximate until a recompute). */
  placedLater: number;
  labels: MapLabel[];
  computedAt: number;
  /**
   * Other datasets placed on this map (coverage), by their dataset id. Kept in the layout
   * because they belong to this fit: a recompute replaces the row and drops them.
   */
  overlays?: MapOverlayRow[];
}

export interface MapOverlayRow {
  datasetId: string;
  /** Point k is the other dataset's record uuids[k] (joined with '\n'). */
  uuids: string;
  xy: Float32Array;
  /** Records near nothing on the map, laid out as islands beside it. */
  novel: number;
  /** The islands' region labels. */
  labels: MapLabel[];
  computedAt: number;
}

/** The fitted sample a later record is placed against (nearest anchors, by grid cell). */
export interface Anchors {
  dims: number;
  vectors: Float32Array;
  xy: Float32Array;
  centres: Float32Array;
  /** Sample indices grouped by cell: cell c holds cellItems[cellStart[c]..cellStart[c+1]). */
  cellStart: Uint32Array;
  cellItems: Uint32Array;
}

export interface MapModelRow {
  datasetId: string;
  method: MapMethod;
  /** Text method: document frequencies over hashed features. */
  df?: Uint32Array<ArrayBuffer>;
  docs?: number;
  anchors: Anchors;
}

export function layoutUuids(row: Pick<MapLayoutRow, 'uuids'>): string[] {
  return row.uuids ? row.uuids.split('\n') : [];
}
