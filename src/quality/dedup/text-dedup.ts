/**
 * The text method over one dataset, kept alive in the dataset worker between calls so
 * pairs arriving during generation cost only their own comparisons (catchUp), while an
 * imported or edited set gets one full pass (fullPass).
 *
 * catchUp writes only what new records change. Its first call rebuilds the index from
 * the database quietly: records that already carry fields (from an earlier pass, maybe
 * the semantic one) are indexed without being rewritten. After that it reads no records
 * itself: the dataset index's catch-up (which runs first, inside `live`) hands over
 * every record it reads (`offer`), so each new record is read from the store once. Only
 * when the counts disagree (records read before this pass listened, or no index at all)
 * does it read the records created since its last one, and rebuild if that is not enough.
 * Nor does it look each record up again before writing its values: the index held it
 * when its catch-up began, and only records deleted since (tombstones) are looked up.
 */
import { shownText } from '../../shared/filter';
import type { DedupProgress, DedupResult } from '../../shared/quality';
import { changeClock, type MagpieDB } from '../../store/db';
import type { AssembledRecord, RecordDerived, SeenPresent } from '../../store/derived';
import { countRecords } from '../../store/records';
import { scanDataset } from '../../store/record-chunks';
import { MinHashStore, normalise } from './minhash';
import { NeighbourIndex } from './neighbour-index';
import {
  appFieldsSeen,
  sameFields,
  storedFields,
  writeFields,
  type FieldChange,
  type StoredFields,
} from './store-fields';

/** The dataset's live records as a reader that follows the dataset (its index) knows them. */
export interface LiveRecords {
  count: number;
  /**
   * Whether the reader holds this record, and when its last catch-up began: every record it
   * holds was present then (a delete since left a tombstone at or after `since`); and
   * whether it had no derived row then.
   */
  holds?: { since: number; has: (uuid: string) => boolean; rowless: (uuid: string) => boolean };
}

/** What a record is indexed by: its normalised instruction as shown. */
interface Keyed {
  uuid: string;
  createdAt: number;
  key: string;
}
const keyed = (r: AssembledRecord): Keyed => ({
  uuid: r.uuid,
  createdAt: r.createdAt,
  key: normalise(shownText(r).instruction),
});

/** Records to write about: present when `since` was taken, and held by the reader if it says. */
type Seen = SeenPresent & { has?: (uuid: string) => boolean };

export class TextDedup {
  private index: NeighbourIndex<string>;
  private stored: (StoredFields | undefined)[] = [];
  private lastCreatedAt = -Infinity;
  private built = false;

  constructor(
    private readonly db: MagpieDB,
    readonly datasetId: string,
    readonly threshold: number,
    /** Live records in the dataset; the dataset worker answers from its index (no count per catch-up). */
    private readonly live: (datasetId: string) => Promise<LiveRecords> = async (id) => ({
      count: await countRecords(db, id),
    }),
    /** Hears the derived rows it wrote, as stored (the dataset index takes them at once). */
    private readonly written: (rows: RecordDerived[]) => Promise<void> = async () => undefined,
  ) {
    this.index = this.fresh();
  }

  /** Every record, every changed field written. */
  async fullPass(
    signal?: AbortSignal,
    onProgress?: (p: DedupProgress) => void,
  ): Promise<DedupResult | null> {
    const started = performance.now();
    const seen = { since: await changeClock(this.db) };
    this.reset();
    const total = await countRecords(this.db, this.datasetId);
    let read = 0;
    await scanDataset(
      this.db,
      this.datasetId,
      (page) => {
        for (const r of page) this.add(r, storedFields(r));
        read += page.length;
        onProgress?.({ phase: 'comparing', done: read, total });
      },
      { signal, nearDup: 'app' },
    );
    if (signal?.aborted) return this.abandon();
    this.built = true;
    return this.write(started, seen, signal, onProgress);
  }

  /** Index the records stored since the last call; a full quiet rebuild the first time. */
  async catchUp(signal?: AbortSignal): Promise<DedupResult | null> {
    const started = performance.now();
    const begun = await changeClock(this.db);
    if (!this.built) await this.quietBuild(signal);
    if (signal?.aborted) return this.abandon();
    const live = await this.live(this.datasetId);
    if (live.count !== this.index.size) {
      await scanDataset(
        this.db,
        this.datasetId,
        (page) => {
          for (const r of page) this.add(r, storedFields(r));
        },
        { from: this.lastCreatedAt, signal, nearDup: 'app' },
      );
      if (signal?.aborted) return this.abandon();
      // Deleted records, or records stored with older timestamps: start over.
      if ((await this.live(this.datasetId)).count !== this.index.size) {
        this.reset();
        await this.quietBuild(signal);
        if (signal?.aborted) return this.abandon();
      }
    }
    // Every record indexed was read in this call (after `begun`) or is held by the reader,
    // which had it present when its catch-up began; without a reader, each is looked up.
    const { holds } = live;
    const seen = holds && { ...holds, since: Math.min(begun, holds.since) };
    return this.write(started, seen, signal);
  }

  /**
   * A record the dataset index just read (as the dataset's reader sees it): indexed now if
   * this pass is built and does not have it. Before it is built, its build reads everything.
   */
  offer(r: AssembledRecord): void {
    if (this.built && r.datasetId === this.datasetId && !this.index.has(r.uuid))
      this.add(r, appFieldsSeen(r));
  }

  private async quietBuild(signal?: AbortSignal): Promise<void> {
    // What the records without values are indexed by, not the records: held to the end of
    // the read, whole records (texts and all) would all outlive it, a heap of garbage for
    // the collector after a first pass.
    const unchecked: Keyed[] = [];
    await scanDataset(
      this.db,
      this.datasetId,
      (page) => {
        for (const r of page) {
          const stored = storedFields(r);
          if (stored) this.add(r, stored);
          else unchecked.push(keyed(r));
        }
      },
      { signal, nearDup: 'app' },
    );
    this.index.takeDirty();
    for (const k of unchecked) this.addKeyed(k, undefined);
    this.built = true;
  }

  /** `stored`: the app's values the record has now (undefined: none known, so write them). */
  private add(r: AssembledRecord, stored: StoredFields | undefined): void {
    if (!this.index.has(r.uuid)) this.addKeyed(keyed(r), stored);
  }

  private addKeyed({ uuid, createdAt, key }: Keyed, stored: StoredFields | undefined): void {
    if (this.index.has(uuid)) return;
    this.index.add(uuid, createdAt, key, () => key);
    this.stored.push(stored);
    if (createdAt > this.lastCreatedAt) this.lastCreatedAt = createdAt;
  }

  private async write(
    started: number,
    seen: Seen | undefined,
    signal?: AbortSignal,
    onProgress?: (p: DedupProgress) => void,
  ): Promise<DedupResult | null> {
    const changes: FieldChange[] = [];
    for (const doc of this.index.takeDirty()) {
      const fields = this.index.fields(doc);
      if (sameFields(fields, this.stored[doc], 'text')) continue;
      const uuid = this.index.uuidOf(doc);
      if (seen?.has && !seen.has(uuid)) continue; // gone: its count differs, next call rebuilds
      changes.push({ uuid, recordAt: this.index.createdAtOf(doc), fields });
      this.stored[doc] = { ...fields, method: 'text' };
    }
    if (signal?.aborted) return this.abandon();
    const rows = await writeFields(
      this.db,
      this.datasetId,
      'text',
      changes,
      (done, total) => onProgress?.({ phase: 'writing', done, total }),
      seen && { since: seen.since, rowless: seen.rowless },
    );
    await this.written(rows);
    return {
      method: 'text',
      records: this.index.size,
      updated: changes.length,
      ...this.index.counts(),
      ms: Math.round(performance.now() - started),
    };
  }

  /** A stopped pass leaves the index unusable for catching up: rebuild next time. */
  private abandon(): null {
    this.reset();
    return null;
  }

  private reset(): void {
    this.index = this.fresh();
    this.stored = [];
    this.lastCreatedAt = -Infinity;
    this.built = false;
  }

  private fresh(): NeighbourIndex<string> {
    return new NeighbourIndex(new MinHashStore(), this.threshold);
  }
}
