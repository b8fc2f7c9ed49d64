/**
 * The explorer worker's API (ExplorerApi): one open dataset at a time, views answered from
 * its index and kept by id so the page can page through rows, writes applied to store and
 * index together, and watchers told when the dataset changes (also by other contexts:
 * Dexie relays every write to every context over BroadcastChannel).
 */
import { Dexie } from 'dexie';
import {
  DEFAULT_SORT,
  type BulkProgress,
  type BulkReviewOutcome,
  type DatasetChange,
  type DatasetSize,
  type ExplorerApi,
  type RowSummary,
  type RunMixCounts,
  type SortSpec,
  type TextEdit,
  type ViewResult,
} from '../shared/explorer-api';
import { searchWords, shownText, type ViewFilter } from '../shared/filter';
import type { MapColorField, MapPointRecord, MapPoints } from '../shared/map-api';
import { MapJoin } from '../map/map-points';
import { turnCount } from '../shared/turns';
import type { PairRecord, ReviewStatus } from '../shared/record';
import { outcome, type Outcome } from '../shared/outcome';
import { selectionFilter, type ExportSelection, type SelectionCount } from '../shared/transfer-api';
import { DB_NAME, MagpieDB, type StoredRecord } from '../store/db';
import {
  getRecords,
  nearDupSource,
  setNearDupSource,
  type AssembledRecord,
  type RecordDerived,
} from '../store/derived';
import type { NearDupSource } from '../shared/quality';
import * as actions from './actions';
import type { DatasetIndex } from './dataset-index';
import { OpenDataset } from './open-dataset';
import { pruneIndexes } from './persist';
import { answerView } from './query';
import { runMix } from './run-mix';

const PREVIEW_CHARS = 280;
const KEEP_VIEWS = 8;
const NOTIFY_EVERY_MS = 250;

interface View {
  open: OpenDataset;
  order: Uint32Array;
}

export class ExplorerService implements ExplorerApi {
  private db: MagpieDB | undefined;
  private dbName = DB_NAME;
  private current: OpenDataset | undefined;
  private views = new Map<number, View>();
  private nextId = 1;
  private watchers = new Map<number, { datasetId: string; onChange: (c: DatasetChange) => void }>();
  private undos = new Map<number, { datasetId: string; before: Map<ReviewStatus, string[]> }>();
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;
  private map = new MapJoin(() => this.dbName);
  private recordListeners: ((record: AssembledRecord) => void)[] = [];

  constructor() {
    // Derived rows too while someone watches (the run's mix, the quality view): the judge's
    // tags arrive alone. Unwatched, they wait for the next question (fresh() reads them),
    // so a long pass writing derived rows here does not set off a catch-up per chunk.
    Dexie.on('storagemutated', (parts) => {
      // Records are rows or packs (store/packs.ts): a write to either is a change.
      const records = ['records', 'recordPacks'].map((t) => `idb://${this.dbName}/${t}/`);
      const derived = ['recordDerived', 'derivedPacks'].map((t) => `idb://${this.dbName}/${t}/`);
      const keys = Object.keys(parts);
      const current = this.current;
      if (!current) return;
      if (
        keys.some((k) => records.some((p) => k.startsWith(p))) ||
        (keys.some((k) => derived.some((p) => k.startsWith(p))) && this.watched(current.datasetId))
      )
        current.scheduleCatchUp();
    });
  }

  private watched(datasetId: string): boolean {
    for (const w of this.watchers.values()) if (w.datasetId === datasetId) return true;
    return false;
  }

  private database(): MagpieDB {
    if (!this.db) {
      this.db = new MagpieDB(this.dbName);
      void pruneIndexes(this.db).catch(() => undefined);
    }
    return this.db;
  }

  private open(datasetId: string): OpenDataset {
    if (this.current?.datasetId !== datasetId) {
      void this.current?.close();
      const open = new OpenDataset(
        this.database(),
        datasetId,
        () => this.notifySoon(),
        (record) => {
          for (const listener of this.recordListeners) listener(record);
        },
      );
      this.current = open;
      // The map's join, read ahead: a map or a region filter then answers without building it.
      void open.columnsReady
        .then(() =>
          this.current === open ? this.map.prepare(this.database(), open.ix) : undefined,
        )
        .catch(() => undefined);
    }
    return this.current;
  }

  async useDatabase(name: string): Promise<void> {
    await this.current?.close();
    this.current = undefined;
    this.db?.close();
    this.db = undefined;
    this.dbName = name;
  }

  async query(
    datasetId: string,
    filter: ViewFilter,
    sort: SortSpec,
    locate: string[] = [],
  ): Promise<ViewResult> {
    const open = this.open(datasetId);
    await open.columnsReady;
    if (searchWords(filter.q).length) await open.textReady;
    const ix = await open.current();
    const started = performance.now();
    const answer = answerView(ix.cols, ix.orders, filter, sort, await this.bitsOf(ix, filter));
    const queryId = this.nextId++;
    this.views.set(queryId, { open, order: answer.order });
    for (const id of this.views.keys()) if (this.views.size > KEEP_VIEWS) this.views.delete(id);
    const located: Record<string, number> = {};
    for (const uuid of locate) {
      const ord = ix.cols.ordOf(uuid);
      const at = ord === undefined ? -1 : answer.order.indexOf(ord);
      if (at >= 0) located[uuid] = at;
    }
    const indexing = open.indexing;
    return {
      queryId,
      datasetId,
      total: answer.order.length,
      datasetTotal: ix.aliveCount,
      facets: answer.facets,
      shape: answer.shape,
      tagColumns: ix.tagColumns(),
      ...(indexing && { indexing }),
      ...(!ix.textReady && { textPending: true }),
      located,
      version: ix.version,
      tookMs: performance.now() - started,
    };
  }

  /** The ordinals passing the filter's search and map region (null: neither is set). */
  private async bitsOf(ix: DatasetIndex, filter: ViewFilter): Promise<Uint32Array | null> {
    const words = searchWords(filter.q);
    let bits = words.length ? ix.text.match(words, ix.cols.n) : null;
    if (filter.region) {
      const inRegion = await this.map.regionBits(this.database(), ix, filter.region);
      if (bits) for (let i = 0; i < inRegion.length; i++) inRegion[i]! &= bits[i]!;
      bits = inRegion;
    }
    return bits;
  }

  /**
   * The open dataset with every record read and every committed write in its index: what
   * the quality summary, the recipe and export counts answer from (no full read per question).
   */
  async fresh(datasetId: string): Promise<OpenDataset> {
    const open = this.open(datasetId);
    await open.fresh();
    await open.textReady;
    return open;
  }

  /** Hears every record the open dataset's index reads whole (DatasetIndexes.onRecord). */
  onRecord(listener: (record: AssembledRecord) => void): void {
    this.recordListeners.push(listener);
  }

  /** Derived rows written in this worker, as stored: into the open index at once (no read back). */
  async applyDerived(datasetId: string, rows: RecordDerived[]): Promise<void> {
    const open = this.current;
    if (open?.datasetId !== datasetId || !rows.length) return;
    try {
      await open.columnsReady;
      await open.applyDerived(rows);
      open.changed();
    } catch {
      // Not loaded after all: its catch-up reads the rows like any other write.
    }
  }

  size(datasetId: string): Promise<Outcome<DatasetSize>> {
    return outcome(async () => {
      const open = this.open(datasetId);
      await open.columnsReady;
      const ix = await open.current();
      // The first read of a large dataset takes minutes: its count stands in meanwhile.
      const indexing = open.indexing;
      if (indexing) return { records: indexing.total ?? indexing.read, exact: false };
      return { records: ix.aliveCount, exact: true };
    });
  }

  /** What an export of this selection would take now, from the index (the explorer's own rules). */
  countSelection(datasetId: string, selection: ExportSelection): Promise<Outcome<SelectionCount>> {
    return outcome(async () => {
      const { ix } = await this.fresh(datasetId);
      const filter = selectionFilter(selection);
      const { order } = answerView(
        ix.cols,
        ix.orders,
        filter,
        DEFAULT_SORT,
        await this.bitsOf(ix, filter),
      );
      let multiTurn = 0;
      for (let i = 0; i < order.length; i++) multiTurn += ix.cols.multiTurn[order[i]!]!;
      return { total: ix.aliveCount, matching: order.length, multiTurn };
    });
  }

  /** A run's language and category mix, from the index caught up on what changed. */
  runMix(datasetId: string, runId: string, startedAt: number): Promise<Outcome<RunMixCounts>> {
    return outcome(async () => runMix((await this.fresh(datasetId)).ix.cols, runId, startedAt));
  }

  async rows(queryId: number, start: number, end: number): Promise<(RowSummary | null)[]> {
    const view = this.view(queryId);
    const uuids = Array.from(view.order.subarray(start, end), (o) => view.open.ix.cols.uuids[o]!);
    const records = await getRecords(this.database(), uuids);
    return records.map((r) => (r ? summary(r) : null));
  }

  async setReview(datasetId: string, uuids: string[], review: ReviewStatus): Promise<void> {
    const open = this.open(datasetId);
    await open.columnsReady;
    await actions.setReview(this.database(), open, uuids, review);
  }

  async edit(datasetId: string, uuid: string, edit: TextEdit): Promise<void> {
    const open = this.open(datasetId);
    await open.columnsReady;
    await actions.editRecord(this.database(), open, uuid, edit);
  }

  async swapPreference(datasetId: string, uuid: string): Promise<void> {
    const open = this.open(datasetId);
    await open.columnsReady;
    await actions.swapPreference(this.database(), open, uuid);
  }

  async deleteRecords(datasetId: string, uuids: string[]): Promise<PairRecord[]> {
    const open = this.open(datasetId);
    await open.columnsReady;
    return actions.deleteRecords(this.database(), open, uuids);
  }

  async restoreRecords(datasetId: string, records: PairRecord[]): Promise<void> {
    const open = this.open(datasetId);
    await open.columnsReady;
    await actions.restoreRecords(this.database(), open, records);
  }

  async bulkReview(
    queryId: number,
    review: ReviewStatus,
    onProgress?: (p: BulkProgress) => void,
  ): Promise<BulkReviewOutcome> {
    const view = this.view(queryId);
    const uuids = this.uuidsOf(view);
    // The statuses replaced are read from the index: caught up first.
    await view.open.fresh();
    const before = await actions.bulkReview(this.database(), view.open, uuids, review, (p) =>
      onProgress?.(p),
    );
    const undoToken = this.nextId++;
    this.undos.set(undoToken, { datasetId: view.open.datasetId, before });
    let changed = 0;
    for (const list of before.values()) changed += list.length;
    return { changed, undoToken };
  }

  async undoBulkReview(token: number, onProgress?: (p: BulkProgress) => void): Promise<number> {
    const undo = this.undos.get(token);
    if (!undo) throw new Error('There is nothing to undo any more.');
    this.undos.delete(token);
    const open = await this.fresh(undo.datasetId);
    let done = 0;
    const total = [...undo.before.values()].reduce((a, l) => a + l.length, 0);
    for (const [status, uuids] of undo.before) {
      await actions.bulkReview(this.database(), open, uuids, status, (p) =>
        onProgress?.({ done: done + p.done, total }),
      );
      done += uuids.length;
    }
    return total;
  }

  async bulkDelete(queryId: number, onProgress?: (p: BulkProgress) => void): Promise<number> {
    const view = this.view(queryId);
    return actions.bulkDelete(this.database(), view.open, this.uuidsOf(view), (p) =>
      onProgress?.(p),
    );
  }

  async watch(datasetId: string, onChange: (c: DatasetChange) => void): Promise<number> {
    const id = this.nextId++;
    this.watchers.set(id, { datasetId, onChange });
    return id;
  }

  async unwatch(watchId: number): Promise<void> {
    this.watchers.delete(watchId);
  }

  async mapPoints(
    datasetId: string,
    colorBy: MapColorField,
    queryId?: number,
    layoutStamp?: number,
  ): Promise<MapPoints | null> {
    const open = this.open(datasetId);
    await open.columnsReady;
    const ix = await open.current();
    const view = queryId === undefined ? undefined : this.view(queryId);
    return this.map.points(this.database(), ix, colorBy, view?.order, layoutStamp);
  }

  async mapPointAt(datasetId: string, key: string, k: number): Promise<MapPointRecord | null> {
    const open = this.open(datasetId);
    await open.columnsReady;
    return this.map.pointAt(this.database(), await open.current(), key, k);
  }

  nearDupSource(datasetId: string): Promise<NearDupSource> {
    return nearDupSource(this.database(), datasetId);
  }

  setNearDupSource(datasetId: string, source: NearDupSource): Promise<Outcome<void>> {
    return outcome(async () => {
      // The choice moves the dataset to a new generation: any index read under the old one
      // (this worker's, another tab's) is neither saved nor loaded again, whenever it tries.
      await setNearDupSource(this.database(), datasetId, source);
      if (this.current?.datasetId === datasetId) {
        // The open index holds the old choice's values: read the dataset again, tell the views.
        await this.current.close();
        this.current = undefined;
        this.open(datasetId);
        this.notifySoon();
      }
    });
  }

  async flush(): Promise<void> {
    await this.current?.save();
  }

  private view(queryId: number): View {
    const view = this.views.get(queryId);
    if (!view) throw new Error('This view is out of date; it reloads by itself.');
    return view;
  }

  private uuidsOf(view: View): string[] {
    const { uuids } = view.open.ix.cols;
    return Array.from(view.order, (o) => uuids[o]!);
  }

  private notifySoon(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      const open = this.current;
      if (!open) return;
      // The map's join follows the index as it changes, not when a region filter asks.
      void this.map.prepare(this.database(), open.ix).catch(() => undefined);
      const indexing = open.indexing;
      const change: DatasetChange = {
        datasetId: open.datasetId,
        version: open.ix.version,
        ...(indexing && { indexing }),
      };
      for (const [id, w] of this.watchers)
        if (w.datasetId === open.datasetId)
          Promise.resolve(w.onChange(change)).catch(() => this.watchers.delete(id));
    }, NOTIFY_EVERY_MS);
  }
}

function summary(r: StoredRecord): RowSummary {
  const { instruction, response } = shownText(r);
  return {
    uuid: r.uuid,
    instruction: instruction.slice(0, PREVIEW_CHARS),
    response: response.slice(0, PREVIEW_CHARS),
    model: r.model,
    instruction_length: r.instruction_length,
    response_length: r.response_length,
    finish: r.finish,
    createdAt: r.createdAt,
    review: r.review,
    edited: r.edited?.instruction !== undefined || r.edited?.response !== undefined,
    turns: turnCount(r),
    task_category: r.task_category,
    input_quality: r.input_quality,
    difficulty: r.difficulty,
    language: r.language,
    min_neighbor_distance: r.min_neighbor_distance,
    repeat_count: r.repeat_count,
    response_score: r.response_score,
  };
}
