/**
 * What the explorer worker offers the page, over Comlink. The worker holds a dataset's
 * compact index (columns, sort orders, text index) and answers views; the page holds only
 * the rows on screen. Types here are the whole contract: the page never imports the worker.
 */
import type { FacetKey, ViewFilter } from './filter';
import type { MapColorField, MapPointRecord, MapPoints } from './map-api';
import type { Outcome } from './outcome';
import type { NearDupSource } from './quality';
import type { PairRecord, RecordTags, ReviewStatus } from './record';
import type { ExportSelection, SelectionCount } from './transfer-api';

/** Tag columns the table shows only when some record has a value. */
export const TAG_COLUMNS = [
  'task_category',
  'input_quality',
  'difficulty',
  'language',
  'min_neighbor_distance',
  'repeat_count',
  'response_score',
] as const;
export type TagColumn = (typeof TAG_COLUMNS)[number];

export const SORT_KEYS = [
  'createdAt',
  'instruction',
  'response',
  'model',
  'instruction_length',
  'response_length',
  'finish',
  'review',
  'turns',
  ...TAG_COLUMNS,
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Records without a value sort last either way; ties go by creation time. */
export interface SortSpec {
  key: SortKey;
  desc: boolean;
}
export const DEFAULT_SORT: SortSpec = { key: 'createdAt', desc: true };

export interface FacetCount {
  value: string;
  count: number;
}

/** Bin i counts values in [i * binWidth, (i + 1) * binWidth); the last bin takes the rest. */
export interface Histogram {
  binWidth: number;
  counts: number[];
}

/** The shape of the records a view shows, for the charts. */
export interface ViewShape {
  byFacet: Record<FacetKey, FacetCount[]>;
  instructionLengths: Histogram;
  responseLengths: Histogram;
}

export interface DatasetSize {
  records: number;
  /**
   * False while the index's first full read runs: `records` is then the count taken when
   * the dataset opened (or the records read so far, until that count answers).
   */
  exact: boolean;
}

/** The first full read of a dataset (once; later opens load the saved index). */
export interface Indexing {
  /** Records read so far. */
  read: number;
  /** Records in the dataset, once counted (counting takes seconds at 300,000). */
  total?: number;
}

export interface ViewResult {
  queryId: number;
  datasetId: string;
  /** Records the view shows. */
  total: number;
  /** Records in the dataset that the index holds. */
  datasetTotal: number;
  /** Per facet, counts under the rest of the filter: what choosing each value would show. */
  facets: Record<FacetKey, FacetCount[]>;
  shape: ViewShape;
  tagColumns: TagColumn[];
  /** Set while the first full read goes on: the view covers the records read so far. */
  indexing?: Indexing;
  /** Set while the text index is still loading: search waits for it. */
  textPending?: boolean;
  /** Positions in the view of the uuids asked for in `locate` (absent: not in the view). */
  located: Record<string, number>;
  /** The dataset's change counter when answered. */
  version: number;
  /** Time the worker spent on the query, ms. */
  tookMs: number;
}

/** One table row: the shown text cut short, and the columns. */
export interface RowSummary extends Pick<RecordTags, TagColumn> {
  uuid: string;
  instruction: string;
  response: string;
  model: string;
  instruction_length: number;
  response_length: number;
  finish: PairRecord['finish'];
  createdAt: number;
  review: ReviewStatus;
  edited: boolean;
  /** User turns of the conversation (1 for a plain pair). */
  turns: number;
}

export interface DatasetChange {
  datasetId: string;
  version: number;
  indexing?: Indexing;
}

/** The language and category mix of one run's records: each value with its count. */
export interface RunMixCounts {
  /** Language codes; records without one count as 'unknown'. */
  language: [string, number][];
  /** The judge's categories; records not tagged yet are not counted. */
  category: [string, number][];
}

export interface BulkProgress {
  done: number;
  total: number;
}

export interface BulkReviewOutcome {
  changed: number;
  /** Pass to undoBulkReview to put every status back. */
  undoToken: number;
}

export interface TextEdit {
  instruction?: string;
  response?: string;
}

export interface ExplorerApi {
  /** Use another IndexedDB database (unit tests, the benchmark). */
  useDatabase(name: string): Promise<void>;
  /** How many records the dataset holds, from its index (never a count of the store per write). */
  size(datasetId: string): Promise<Outcome<DatasetSize>>;
  /** How many records an export of the selection holds now (and how many are multi-turn), from the index. */
  countSelection(datasetId: string, selection: ExportSelection): Promise<Outcome<SelectionCount>>;
  query(
    datasetId: string,
    filter: ViewFilter,
    sort: SortSpec,
    locate?: string[],
  ): Promise<ViewResult>;
  /** Rows [start, end) of a view; null for a record deleted since. */
  rows(queryId: number, start: number, end: number): Promise<(RowSummary | null)[]>;
  setReview(datasetId: string, uuids: string[], review: ReviewStatus): Promise<void>;
  /** Stores the edit beside the original text; text equal to the original clears that edit. */
  edit(datasetId: string, uuid: string, edit: TextEdit): Promise<void>;
  /** Swaps a preference record's chosen and rejected responses (the curator overrules the judge). */
  swapPreference(datasetId: string, uuid: string): Promise<void>;
  /** Deletes records and answers them, so the page can offer undo. */
  deleteRecords(datasetId: string, uuids: string[]): Promise<PairRecord[]>;
  restoreRecords(datasetId: string, records: PairRecord[]): Promise<void>;
  bulkReview(
    queryId: number,
    review: ReviewStatus,
    onProgress?: (p: BulkProgress) => void,
  ): Promise<BulkReviewOutcome>;
  undoBulkReview(token: number, onProgress?: (p: BulkProgress) => void): Promise<number>;
  bulkDelete(queryId: number, onProgress?: (p: BulkProgress) => void): Promise<number>;
  /** `onChange` (a Comlink proxy) hears when the dataset changes; answers a watch id. */
  watch(datasetId: string, onChange: (change: DatasetChange) => void): Promise<number>;
  unwatch(watchId: number): Promise<void>;
  /**
   * The dataset's topic map as the page draws it (null: not computed): live records'
   * positions, colours by `colorBy` from the columns, and which points the view `queryId`
   * holds (omit it when the view is the whole dataset). `layoutStamp`: the map worker's
   * answer after a write to the map (MapComputed, MapPlaced); the layout is read again if
   * the one held is older.
   */
  mapPoints(
    datasetId: string,
    colorBy: MapColorField,
    queryId?: number,
    layoutStamp?: number,
  ): Promise<MapPoints | null>;
  /** The record behind point `k` of the mapPoints answer with `key`. */
  mapPointAt(datasetId: string, key: string, k: number): Promise<MapPointRecord | null>;
  /**
   * The language and category mix of the records run `runId` stored in the dataset since
   * `startedAt`: from the index, after reading only what changed since its last read.
   */
  runMix(datasetId: string, runId: string, startedAt: number): Promise<Outcome<RunMixCounts>>;
  /** Saves the index now if it changed (the page calls this when it is hidden). */
  flush(): Promise<void>;
  /** Which near-duplicate values the dataset's explorer, recipe and export use. */
  nearDupSource(datasetId: string): Promise<NearDupSource>;
  /** Chooses them; the dataset's index is built again with the chosen values. */
  setNearDupSource(datasetId: string, source: NearDupSource): Promise<Outcome<void>>;
}
