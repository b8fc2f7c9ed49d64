/**
 * The text method over one dataset, kept alive in the dataset worker between calls so
 * pairs arriving during generation cost only their own comparisons (catchUp), while an
 * imported or edited set gets one full pass (fullPass).
 *
 * catchUp writes only what new records change. Its first call rebuilds the index from
 * the database quietly: records that already carry fields (from an earlier pass, maybe
 * the semantic one) are indexed without being rewritten.
 */
import { shownText } from '../../shared/filter';
import type { DedupProgress, DedupResult } from '../../shared/quality';
import type { MagpieDB } from '../../store/db';
import type { AssembledRecord } from '../../store/derived';
import { countRecords } from '../../store/records';
import { scanDataset } from '../../store/record-chunks';
import { MinHashStore, normalise } from './minhash';
import { NeighbourIndex } from './neighbour-index';
import {
  sameFields,
  storedFields,
  writeFields,
  type FieldChange,
  type StoredFields,
} from './store-fields';

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
    private readonly liveCount: (datasetId: string) => Promise<number> = (id) =>
      countRecords(db, id),
  ) {
    this.index = this.fresh();
  }

  /** Every record, every changed field written. */
  async fullPass(
    signal?: AbortSignal,
    onProgress?: (p: DedupProgress) => void,
  ): Promise<DedupResult | null> {
    const started = performance.now();
    this.reset();
    const total = await countRecords(this.db, this.datasetId);
    let read = 0;
    await scanDataset(
      this.db,
      this.datasetId,
      (page) => {
        for (const r of page) this.add(r);
        read += page.length;
        onProgress?.({ phase: 'comparing', done: read, total });
      },
      { signal, nearDup: 'app' },
    );
    if (signal?.aborted) return this.abandon();
    this.built = true;
    return this.write(started, signal, onProgress);
  }

  /** Index the records stored since the last call; a full quiet rebuild the first time. */
  async catchUp(signal?: AbortSignal): Promise<DedupResult | null> {
    const started = performance.now();
    if (!this.built) {
      await this.quietBuild(signal);
    } else {
      await scanDataset(
        this.db,
        this.datasetId,
        (page) => {
          for (const r of page) this.add(r);
        },
        { from: this.lastCreatedAt, signal, nearDup: 'app' },
      );
    }
    if (signal?.aborted) return this.abandon();
    // Deleted records, or records stored with older timestamps: start over.
    if ((await this.liveCount(this.datasetId)) !== this.index.size) {
      this.reset();
      await this.quietBuild(signal);
      if (signal?.aborted) return this.abandon();
    }
    return this.write(started, signal);
  }

  private async quietBuild(signal?: AbortSignal): Promise<void> {
    const unchecked: AssembledRecord[] = [];
    await scanDataset(
      this.db,
      this.datasetId,
      (page) => {
        for (const r of page) {
          if (storedFields(r)) this.add(r);
          else unchecked.push(r);
        }
      },
      { signal, nearDup: 'app' },
    );
    this.index.takeDirty();
    for (const r of unchecked) this.add(r);
    this.built = true;
  }

  private add(r: AssembledRecord): void {
    if (this.index.has(r.uuid)) return;
    const key = normalise(shownText(r).instruction);
    this.index.add(r.uuid, r.createdAt, key, () => key);
    this.stored.push(storedFields(r));
    if (r.createdAt > this.lastCreatedAt) this.lastCreatedAt = r.createdAt;
  }

  private async write(
    started: number,
    signal?: AbortSignal,
    onProgress?: (p: DedupProgress) => void,
  ): Promise<DedupResult | null> {
    const changes: FieldChange[] = [];
    for (const doc of this.index.takeDirty()) {
      const fields = this.index.fields(doc);
      if (sameFields(fields, this.stored[doc], 'text')) continue;
      changes.push({ uuid: this.index.uuidOf(doc), fields });
      this.stored[doc] = { ...fields, method: 'text' };
    }
    if (signal?.aborted) return this.abandon();
    await writeFields(this.db, this.datasetId, 'text', changes, (done, total) =>
      onProgress?.({ phase: 'writing', done, total }),
    );
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
