/**
 * The topic map: what its worker offers the page (MapApi: compute positions, place new
 * records, stop) and what the explorer worker answers about a computed map (MapPoints:
 * positions, colours and highlight for drawing). Positions are stored; see src/map.
 */
import type { Coverage } from './coverage';
import type { FacetKey } from './filter';
import type { Outcome } from './outcome';

export type MapMethod = 'text' | 'semantic';

export interface MapComputeOptions {
  method: MapMethod;
  seed: number;
  /** The WebLLM embedding model, for 'semantic' (EMBED_MODELS). */
  embedModel?: string;
}

export interface MapProgress {
  phase: 'read' | 'model' | 'embed' | 'fit' | 'place' | 'label' | 'save';
  done: number;
  /** 0 when not known (reading: counting 300,000 keys would take seconds). */
  total: number;
  /** The embedding model's own progress line while it downloads or loads. */
  text?: string;
}

export interface MapComputed {
  points: number;
  tookMs: number;
  /** The stored layout's stamp after this write (pass it to mapPoints). */
  layoutStamp: number;
}

export interface MapPlaced {
  placed: number;
  /** The stored layout's stamp after this write; 0 without a map. */
  layoutStamp: number;
}

export interface MapApi {
  useDatabase(name: string): Promise<void>;
  /** Embeds and projects every instruction of the dataset and stores the positions. */
  compute(
    datasetId: string,
    options: MapComputeOptions,
    onProgress: (p: MapProgress) => void,
  ): Promise<Outcome<MapComputed>>;
  /** Places records added since the map was computed (approximately); answers how many. */
  placeNew(datasetId: string): Promise<Outcome<MapPlaced>>;
  /**
   * Places another dataset's instructions on this dataset's map (its fitted model, no
   * refit) and stores them with the map, for coverage; answers how many.
   */
  overlay(
    datasetId: string,
    otherId: string,
    onProgress: (p: MapProgress) => void,
  ): Promise<Outcome<MapComputed>>;
  /** Ends compute, placeNew or overlay at its next step; the stored map stays as it was. */
  stop(): Promise<void>;
}

/** What the map can be coloured by: a facet's values, or a number as a gradient. */
export const MAP_COLOR_FIELDS = [
  'none',
  'task_category',
  'review',
  'language',
  'model',
  'input_quality',
  'difficulty',
  'finish',
  'run',
  'system_prompt',
  'cluster',
  'instruction_length',
  'response_length',
  'response_score',
  'min_neighbor_distance',
  'repeat_count',
] as const;
export type MapColorField = (typeof MAP_COLOR_FIELDS)[number];

export const MAP_COLOR_LABELS: Record<MapColorField, string> = {
  none: 'nothing',
  task_category: 'task category',
  review: 'review status',
  language: 'language',
  model: 'model',
  input_quality: 'input quality',
  difficulty: 'difficulty',
  finish: 'finish reason',
  run: 'run',
  system_prompt: 'system prompt',
  cluster: 'near-duplicate cluster',
  instruction_length: 'instruction length',
  response_length: 'response length',
  response_score: 'response score',
  min_neighbor_distance: 'nearest-neighbour distance',
  repeat_count: 'repeat count',
};

/** Colours from the explorer's facet columns. */
export function isFacetColor(field: MapColorField): field is FacetKey & MapColorField {
  return field !== 'none' && !NUMBER_FIELDS.has(field) && !isKeyColor(field);
}

/** Colours from values too many for a facet (runs, system prompts, duplicate clusters). */
export function isKeyColor(field: MapColorField): field is 'run' | 'system_prompt' | 'cluster' {
  return field === 'run' || field === 'system_prompt' || field === 'cluster';
}

/** A colour per value (a legend of values), as opposed to a number's gradient. */
export function isCategoryColor(field: MapColorField): boolean {
  return isFacetColor(field) || isKeyColor(field);
}
const NUMBER_FIELDS = new Set<MapColorField>([
  'instruction_length',
  'response_length',
  'response_score',
  'min_neighbor_distance',
  'repeat_count',
]);

export interface MapLabel {
  x: number;
  y: number;
  terms: string[];
  count: number;
}

export interface MapLegendEntry {
  /** '' = no value; OTHER_VALUE = the rest beyond the colours there are. */
  value: string;
  count: number;
  /** How the legend names the value when not by the value itself (a run, a cluster). */
  label?: string;
}
export const OTHER_VALUE = '\u0000other';

export interface MapPoints {
  datasetId: string;
  /** Identifies these points for pointAt (changes with the layout and the dataset). */
  key: string;
  method: MapMethod;
  computedAt: number;
  placedLater: number;
  /** Records of the dataset the map has not placed yet. */
  unplaced: number;
  /** x, y of point k at 2k, 2k+1, in [-1, 1]; only records that still exist. */
  xy: Float32Array;
  /** Facet colour: the legend index of each point; number colour: 0..1 (NaN: no value). */
  color: Float32Array;
  legend: MapLegendEntry[];
  /** Number colour: the range the gradient spans. */
  range?: [number, number];
  /** 1 where the point is in the explorer's view; absent when the view is the whole dataset. */
  highlight?: Uint8Array;
  inView?: number;
  labels: MapLabel[];
  /** Other datasets placed on this map, with their coverage against these points. */
  overlays: MapOverlay[];
}

export interface MapOverlay {
  datasetId: string;
  /** x, y of each of its records (islands beside the map: records near nothing on it). */
  xy: Float32Array;
  novel: number;
  labels: MapLabel[];
  computedAt: number;
  coverage: Coverage;
}

export interface MapPointRecord {
  uuid: string;
  instruction: string;
}
