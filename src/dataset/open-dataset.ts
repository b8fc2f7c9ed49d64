/**
 * The life of the dataset the explorer has open: load the saved index (columns first, so
 * the table paints before the text index is in) or start the first full read; catch up
 * with what changed; keep catching up as other contexts write (the pipeline worker, other
 * tabs); save now and then. Own bulk writes pause catch-ups: they update the index directly.
 */
import { SORT_KEYS, type Indexing } from '../shared/explorer-api';
import { changeClock, type MagpieDB } from '../store/db';
import { countRecords } from '../store/records';
import {
  derivedPatch,
  nearDupSource,
  type AssembledRecord,
  type RecordDerived,
} from '../store/derived';
import { DatasetIndex } from './dataset-index';
import { dropIndex, loadColumns, loadText, newIndex, saveIndex } from './persist';
import { catchUp, scanStep, verify } from './sync';

const SAVE_AFTER_IDLE_MS = 10_000;
/** During the first full read, save every so many records, so a closed tab resumes there. */
const SAVE_EVERY = 50_000;

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // awaited by queries; an unawaited failure is not unhandled
  return { promise, resolve, reject };
}

export class OpenDataset {
  ix: DatasetIndex;
  readonly columnsReady: Promise<void>;
  readonly textReady: Promise<void>;
  /** Resolved once every record has been read into the index (the first full read done). */
  private readonly allRead = deferred();
  /** Records in the dataset, for the first read's progress; counted beside the read. */
  private total: number | undefined;
  private closed = false;
  private loaded = false;
  private busy = 0;
  private catchingUp: Promise<void> | undefined;
  private catchUpAgain = false;
  /** A write was seen (storagemutated) since the last catch-up began. */
  private written = true;
  /** The newest change stamp and tombstone when the last catch-up began. */
  private marks: string | undefined;
  private catchUpTimer: ReturnType<typeof setTimeout> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: MagpieDB,
    readonly datasetId: string,
    private readonly onChange: () => void,
    /** Hears every record the index takes in whole (DatasetIndex.onRecord), whichever index it holds. */
    private readonly onRecord?: (record: AssembledRecord) => void,
  ) {
    this.ix = this.hear(new DatasetIndex(datasetId));
    const columns = deferred();
    const text = deferred();
    const all = this.allRead;
    this.columnsReady = columns.promise;
    this.textReady = text.promise;
    this.load(columns, text, all).catch((e: unknown) => {
      columns.reject(e);
      text.reject(e);
      all.reject(e);
    });
  }

  private hear(ix: DatasetIndex): DatasetIndex {
    ix.onRecord = this.onRecord;
    return ix;
  }

  get indexing(): Indexing | undefined {
    if (this.ix.scanBefore === null) return undefined;
    const read = this.ix.aliveCount;
    return { read, ...(this.total !== undefined && { total: Math.max(read, this.total) }) };
  }

  /** Counting 300,000 records takes seconds in Chromium, so the read does not wait for it. */
  private countInBackground(): void {
    countRecords(this.db, this.datasetId)
      .then((n) => {
        this.total = n;
        this.onChange();
      })
      .catch(() => undefined); // progress without a total
  }

  private async load(
    columns: ReturnType<typeof deferred>,
    text: ReturnType<typeof deferred>,
    all: ReturnType<typeof deferred>,
  ) {
    const { db, datasetId } = this;
    let ix = await loadColumns(db, datasetId);
    if (ix) {
      this.hear(ix);
      this.ix = ix;
      columns.resolve();
      try {
        await loadText(db, ix);
      } catch {
        await dropIndex(db, datasetId); // broken: read everything again
        ix = undefined;
      }
    }
    if (!ix) {
      ix = this.hear(await newIndex(db, datasetId));
      ix.watermark = await changeClock(db); // before the first read (sync.ts: the watermark)
      await scanStep(db, ix);
      this.ix = ix;
      columns.resolve();
    }
    text.resolve();
    if (ix.scanBefore !== null) this.countInBackground();
    this.loaded = true;
    this.onChange();
    await this.catchUpNow();
    while (!this.closed && (await scanStep(db, ix))) {
      this.onChange();
      if (ix.dirty >= SAVE_EVERY) await this.save();
    }
    if (this.closed) return;
    await this.catchUpNow();
    all.resolve();
    this.onChange();
    await this.warmOrders();
    await this.save();
  }

  /**
   * Builds every sort order not built yet, one per task so queries get in between: the
   * first sort by text takes ~1 s at 300,000 records, so it is done here, once, and saved.
   */
  private async warmOrders(): Promise<void> {
    for (const key of SORT_KEYS) {
      if (this.closed) return;
      if (this.ix.orders.has(key)) continue;
      this.ix.orders.get(key);
      this.ix.dirty++;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** A write happened somewhere: catch up soon (coalesced). */
  scheduleCatchUp(): void {
    this.written = true;
    if (this.catchUpTimer || this.closed) return;
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = undefined;
      void this.catchUpNow();
    }, 200);
  }

  /**
   * The index with every record read and every write committed before this call in it:
   * what the quality summary, the recipe and export counts answer from. Reads only what
   * changed since the last catch-up (index keys newer than the watermark), never the dataset.
   */
  async fresh(): Promise<DatasetIndex> {
    await this.allRead.promise;
    // A catch-up already running may have started before the caller's write committed.
    if (this.catchingUp) {
      this.catchUpAgain = true;
      await this.catchingUp;
    }
    // Nothing written since the last catch-up began (four one-key reads): no catch-up at all.
    if (!this.written && this.marks === (await this.newestMarks())) return this.ix;
    await this.catchUpNow(true);
    return this.ix;
  }

  /**
   * What a view answers from: fresh() once the first full read is done, so a new view
   * shows every write committed before it was asked, even one whose notice never came
   * (a write from a context that does not broadcast); while that read runs, the index as
   * read so far (a view shows the read's progress rather than wait for minutes).
   */
  async current(): Promise<DatasetIndex> {
    return this.loaded && this.ix.scanBefore === null ? this.fresh() : this.ix;
  }

  /** The newest change stamps of this dataset's records, packs, derived rows and derived packs and the newest tombstone, as one string. */
  private async newestMarks(): Promise<string> {
    const ds = this.datasetId;
    const newest = (
      table:
        | MagpieDB['records']
        | MagpieDB['recordDerived']
        | MagpieDB['recordPacks']
        | MagpieDB['derivedPacks'],
    ) =>
      table
        .where('[datasetId+changedAt]')
        .between([ds, -Infinity], [ds, Infinity])
        .reverse()
        .limit(1)
        .keys();
    const [[stamp], [derived], [packed], [derivedPacked], [gone]] = await Promise.all([
      newest(this.db.records),
      newest(this.db.recordDerived),
      newest(this.db.recordPacks),
      newest(this.db.derivedPacks),
      this.db.recordDeletions.orderBy('at').reverse().limit(1).keys(),
    ]);
    return JSON.stringify(
      [stamp, derived, packed, derivedPacked, gone].map((mark) => mark ?? null),
    );
  }

  /**
   * Own writes of derived rows (stamped as stored, every row of each write, as writeDerived
   * answers them): into the index at once, and noted so a catch-up does not read them back.
   */
  async applyDerived(rows: RecordDerived[]): Promise<void> {
    const source = await nearDupSource(this.db, this.datasetId);
    const { ix } = this;
    const byStamp = new Map<number, RecordDerived[]>();
    for (const row of rows) {
      ix.applyDerived(derivedPatch(row, source));
      const stamp = row.changedAt;
      if (stamp === undefined || stamp < ix.watermark) continue;
      const same = byStamp.get(stamp) ?? [];
      same.push(row);
      byStamp.set(stamp, same);
    }
    for (const [stamp, same] of byStamp)
      if (same.every((row) => ix.hasDerived(row.uuid, stamp)))
        ix.ownDerived.set(stamp, same.length);
  }

  /** `evenIfBusy`: own bulk writes are in the index already; a catch-up then only costs a key read. */
  private catchUpNow(evenIfBusy = false): Promise<void> {
    if (!this.loaded || this.closed) return Promise.resolve();
    if (this.catchingUp || (this.busy && !evenIfBusy)) {
      this.catchUpAgain = true;
      return this.catchingUp ?? Promise.resolve();
    }
    this.catchingUp = (async () => {
      try {
        do {
          this.catchUpAgain = false;
          this.written = false;
          this.marks = await this.newestMarks();
          const caught = await catchUp(this.db, this.ix);
          let changed = caught.changed;
          if (caught.verify && this.ix.scanBefore === null)
            changed += await verify(this.db, this.ix);
          if (changed) this.changed();
        } while (this.catchUpAgain && !this.busy && !this.closed);
      } catch {
        // Closed meanwhile, or a read failed: the next change (or open) catches up again.
      } finally {
        this.catchingUp = undefined;
      }
    })();
    return this.catchingUp;
  }

  /** Runs own writes with catch-ups paused (they would re-read what was just written). */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work();
    } finally {
      this.busy--;
      if (!this.busy && this.catchUpAgain) this.scheduleCatchUp();
    }
  }

  /** The index changed: tell watchers, save when things calm down. */
  changed(): void {
    this.onChange();
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save(), SAVE_AFTER_IDLE_MS);
  }

  save(): Promise<void> {
    this.saving = this.saving
      .then(() =>
        this.ix.dirty > 0 || this.ix.text.unsaved.size ? saveIndex(this.db, this.ix) : undefined,
      )
      .catch(() => undefined); // a failed save costs only a longer catch-up next time
    return this.saving;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.allRead.reject(new Error('Another dataset was opened meanwhile; ask again.'));
    clearTimeout(this.catchUpTimer);
    clearTimeout(this.saveTimer);
    await this.save();
  }
}
