/**
 * Everything the worker knows about one dataset: columns, text index and sort orders,
 * kept in step by upsert/remove (the only ways in), plus where reading stands (the first
 * full read, the change watermark) so the index can be saved and picked up again.
 */
import type { TagColumn, TextEdit } from '../shared/explorer-api';
import { searchText, shownText } from '../shared/filter';
import type { AssembledRecord as StoredRecord, DerivedPatch } from '../store/derived';
import type { Restamped } from '../store/packs';
import { Columns, textHash } from './columns';
import { presentTags } from './query';
import { segmentFromRow, segmentToRow } from './segment';
import {
  SNAPSHOT_FORMAT,
  type ExplorerSegmentRow,
  type ExplorerSnapshotRow,
} from '../store/snapshot-format';
import { SortOrders } from './sort-orders';
import { TextIndex } from './text-index';

export class DatasetIndex {
  cols: Columns;
  text: TextIndex;
  orders: SortOrders;
  /** Bumped on every change; views and watchers compare it. */
  version = 0;
  /** Changes stamped before this are in the index (sync.ts: the mark its last catch-up took). */
  watermark = 0;
  /**
   * Derived rows written here, held whole and not yet behind the watermark: how many rows
   * each stamp (one write's) was written with, so a catch-up need not walk them back.
   */
  readonly ownDerived = new Map<number, number>();
  /**
   * Stamps of packs written here around records deleted from them (restamp), not yet behind
   * the watermark: the index holds every record left in them, so a catch-up skips them.
   */
  readonly ownPacks = new Set<number>();
  /** The first full read (newest first) has not reached records created at or before this; null when done. */
  scanBefore: number | null = Infinity;
  /** Records changed since the last save. */
  dirty = 0;
  /**
   * The dataset's near-duplicate choice generation when this index began reading (its
   * values are that choice's): saved with it, and a saved index of another generation is
   * ignored (persist.ts), however the saves and the change of choice interleave.
   */
  nearDupGeneration = 0;
  /** False while a loaded index waits for its text segments: no text may change meanwhile. */
  textReady = true;
  /**
   * Hears every record taken in whole (read from the store or written here): the
   * near-duplicate pass indexes new records from this one read instead of reading them again.
   */
  onRecord: ((record: StoredRecord) => void) | undefined;
  private segmentIds: number[] = [];
  private tags: { version: number; tags: TagColumn[] } = { version: -1, tags: [] };

  constructor(
    readonly datasetId: string,
    cols = new Columns(),
    text = new TextIndex(),
  ) {
    this.cols = cols;
    this.text = text;
    this.orders = new SortOrders(cols);
  }

  get aliveCount(): number {
    let c = 0;
    for (let o = 0; o < this.cols.n; o++) c += this.cols.alive[o]!;
    return c;
  }

  has(uuid: string, changedAt: number | undefined): boolean {
    const ord = this.cols.ordOf(uuid);
    return ord !== undefined && Object.is(this.cols.changedAt[ord], changedAt ?? NaN);
  }

  /** The index holds this record's derived row as of `derivedAt` or later. */
  hasDerived(uuid: string, derivedAt: number): boolean {
    const ord = this.cols.ordOf(uuid);
    return ord !== undefined && this.cols.derivedAt[ord]! >= derivedAt;
  }

  /**
   * Takes a derived row's change into the columns, without the record (derived fields
   * never change the text). False when the record is not in the index or the index has
   * this change or a newer one.
   */
  applyDerived(patch: DerivedPatch): boolean {
    const ord = this.cols.ordOf(patch.uuid);
    if (ord === undefined || this.cols.derivedAt[ord]! >= patch.derivedAt) return false;
    this.cols.patch(ord, patch.values, patch.derivedAt);
    this.version++;
    this.dirty++;
    return true;
  }

  /** Adds or updates a record; a changed text moves it to a new ordinal (the text index only appends). */
  upsert(record: StoredRecord): void {
    const ord = this.cols.ordOf(record.uuid);
    const { instruction, response } = shownText(record);
    if (ord !== undefined && this.cols.textHash[ord] === textHash(instruction, response)) {
      this.cols.update(ord, record);
    } else {
      if (!this.textReady) throw new Error('The text index is still loading.');
      if (ord !== undefined) this.cols.kill(ord);
      const added = this.cols.add(record);
      this.text.add(added, searchText(record));
    }
    this.version++;
    this.dirty++;
    this.onRecord?.(record);
  }

  /**
   * The store wrote these records again unchanged (a pack rewritten around records deleted
   * from it): the index takes their new stamp, so a catch-up does not read them back.
   */
  restamp(packs: readonly Restamped[]): void {
    for (const { uuids, changedAt } of packs) {
      this.ownPacks.add(changedAt);
      for (const uuid of uuids) {
        const ord = this.cols.ordOf(uuid);
        if (ord === undefined) continue;
        this.cols.changedAt[ord] = changedAt;
        this.dirty++;
      }
    }
  }

  remove(uuid: string): boolean {
    const ord = this.cols.ordOf(uuid);
    if (ord === undefined) return false;
    this.cols.kill(ord);
    this.version++;
    this.dirty++;
    return true;
  }

  tagColumns(): TagColumn[] {
    if (this.tags.version !== this.version)
      this.tags = { version: this.version, tags: presentTags(this.cols) };
    return this.tags.tags;
  }

  /** Seals the live text segment, then answers the rows to write (segments not saved yet). */
  toSnapshot(): { row: ExplorerSnapshotRow; segments: ExplorerSegmentRow[]; dropped: number[] } {
    this.text.seal();
    const segments = this.text.sealed
      .filter((s) => this.text.unsaved.has(s.id))
      .map((s) => segmentToRow(this.datasetId, s));
    return {
      row: {
        datasetId: this.datasetId,
        format: SNAPSHOT_FORMAT,
        savedAt: Date.now(),
        watermark: this.watermark,
        scanBefore: this.scanBefore,
        columns: this.cols.toData(),
        segments: this.text.sealed.map((s) => s.id),
        orders: this.orders.saved(),
        nearDupGeneration: this.nearDupGeneration,
      },
      segments,
      dropped: [...this.text.dropped],
    };
  }

  /** After the snapshot from toSnapshot() is written; `dirty` is what it was then. */
  markSaved(segmentIds: number[], dropped: number[], dirty: number): void {
    for (const id of segmentIds) this.text.unsaved.delete(id);
    for (const id of dropped) this.text.dropped.delete(id);
    this.dirty -= dirty;
  }

  /**
   * The index from a saved snapshot, columns first: it answers views at once, search
   * after attachText() (the text segments are the larger read).
   */
  static fromSnapshot(row: ExplorerSnapshotRow): DatasetIndex {
    const ix = new DatasetIndex(row.datasetId, Columns.fromData(row.columns));
    ix.textReady = false;
    ix.segmentIds = row.segments;
    ix.orders.restore(row.orders);
    ix.watermark = row.watermark;
    ix.scanBefore = row.scanBefore;
    ix.nearDupGeneration = row.nearDupGeneration ?? 0;
    return ix;
  }

  /** Takes the saved text segments (any order); they must cover the saved ordinals exactly. */
  attachText(segments: ExplorerSegmentRow[]): void {
    const byId = new Map(segments.map((s) => [s.id, s]));
    const sealed = this.segmentIds.map((id) => {
      const seg = byId.get(id);
      if (!seg) throw new Error('A saved text segment is missing.');
      return segmentFromRow(seg);
    });
    let next = 0;
    for (const s of sealed) {
      if (s.base !== next) throw new Error('Saved text segments do not line up.');
      next = s.base + s.count;
    }
    if (next !== this.cols.n)
      throw new Error('Saved text segments do not cover the saved records.');
    this.text = new TextIndex(sealed);
    this.textReady = true;
  }
}

/** The record with `edit` applied beside its original text (equal text clears that edit). */
export function withEdit(record: StoredRecord, edit: TextEdit, at: number): StoredRecord {
  const next = { ...record.edited };
  for (const field of ['instruction', 'response'] as const) {
    const text = edit[field];
    if (text === undefined) continue;
    if (text === record[field]) delete next[field];
    else next[field] = text;
  }
  const { edited: _old, ...rest } = record;
  if (next.instruction === undefined && next.response === undefined) return rest;
  return { ...rest, edited: { ...next, at } };
}
