/**
 * The one keyset iterator over a dataset: its records in creation order, a chunk at a time,
 * so a scan of 300,000 records holds one chunk in memory. Pages by key (createdAt, then
 * uuid, the index's own order) rather than by offset, which would re-walk every earlier
 * record for each chunk; records sharing a createdAt across a chunk boundary come once.
 * Export, import, the map, near-duplicates and the judge all read through it. Records come
 * overlaid with their derived rows (review, tags, near-duplicates: derived.ts) unless the
 * caller needs only what records hold (`raw`). Rows and packed records (packs.ts) come
 * merged in that one order.
 */
import {
  DatasetDerived,
  SourceCache,
  withDerived,
  type AssembledRecord,
  type NearDupSource,
} from './derived';
import type { MagpieDB, StoredRecord } from './db';
import { byTimeThenUuid, datasetPacks, packRecords, type RecordPack } from './packs';

export interface ChunkOptions {
  /** Records as stored, without their derived rows (for texts alone: cheaper). */
  raw?: boolean;
  /** Near-duplicate values to show; the dataset's choice when absent. */
  nearDup?: NearDupSource;
}

export async function* recordChunks(
  db: MagpieDB,
  datasetId: string,
  size = 1000,
  /** Start at this createdAt (inclusive). */
  from = -Infinity,
  opts: ChunkOptions = {},
): AsyncGenerator<AssembledRecord[]> {
  const sources = new SourceCache(db);
  // A read of the whole dataset takes its derived rows as one range read, started with its
  // first chunk: a bulkGet per chunk costs an IndexedDB request and an event on this thread
  // per record. A read from a time on (a catch-up's few records) asks per chunk.
  const whole =
    !opts.raw && from === -Infinity
      ? DatasetDerived.read(db, datasetId, { nearDup: opts.nearDup })
      : undefined;
  whole?.catch(() => undefined); // awaited with the first chunk; a read left early drops it
  const packs = (await datasetPacks(db, datasetId)).filter((p) => p.last >= from);
  const chunks = packs.length
    ? merged(rowChunks(db, datasetId, size, from), new PackedRecords(db, packs, from), size)
    : rowChunks(db, datasetId, size, from);
  for await (const fresh of chunks) {
    if (opts.raw) yield fresh;
    else if (whole) yield (await whole).assemble(fresh);
    else yield await withDerived(db, fresh, { nearDup: opts.nearDup, sources });
  }
}

/** The dataset's rows in (createdAt, uuid) order, by key. */
async function* rowChunks(
  db: MagpieDB,
  datasetId: string,
  size: number,
  from: number,
): AsyncGenerator<StoredRecord[]> {
  let after: { createdAt: number; uuid: string } | undefined;
  // Records already returned that share the last createdAt: the next read starts at that
  // createdAt again (inclusive), so it must ask for that many more and drop them.
  let ties = 0;
  const read = () =>
    db.records
      .where('[datasetId+createdAt]')
      .between([datasetId, after ? after.createdAt : from], [datasetId, Infinity], true, true)
      .limit(size + ties)
      .toArray() as Promise<StoredRecord[]>;

  let pending = read();
  for (;;) {
    const raw = await pending;
    const last = after;
    const fresh = last
      ? raw.filter((r) => r.createdAt > last.createdAt || r.uuid > last.uuid)
      : raw;
    const end = raw.length < size + ties;
    const tail = fresh[fresh.length - 1];
    if (tail) {
      ties = tail.createdAt === last?.createdAt ? ties : 0;
      for (let i = fresh.length - 1; i >= 0 && fresh[i]!.createdAt === tail.createdAt; i--) ties++;
      after = { createdAt: tail.createdAt, uuid: tail.uuid };
    } else if (!end) {
      // Only possible if records were added inside the last createdAt meanwhile: widen.
      ties += size;
    }
    // Read the next chunk while the caller works on this one.
    if (!end) pending = read();
    if (fresh.length) yield fresh;
    if (end) return;
  }
}

/**
 * The records of a dataset's packs in (createdAt, uuid) order. Packs come by their first
 * record; packs of one import never overlap in time, but two imports running at once can,
 * so every pack starting at or before the next record is opened before it is given.
 */
class PackedRecords {
  private next = 0;
  private held: StoredRecord[] = [];
  private at = 0;
  private reading: Promise<StoredRecord[][]> | undefined;

  constructor(
    private readonly db: MagpieDB,
    private readonly packs: RecordPack[],
    private readonly from: number,
  ) {}

  /** The next record (after `ready`), undefined when none is left. */
  get current(): StoredRecord | undefined {
    return this.held[this.at];
  }

  take(): void {
    this.at++;
  }

  /** Opens every pack that starts at or before the next record. */
  async ready(): Promise<void> {
    while (
      this.next < this.packs.length &&
      (this.at >= this.held.length || this.packs[this.next]!.first <= this.held[this.at]!.createdAt)
    )
      await this.open();
  }

  /** Whether `ready` has packs to open (so the caller awaits only then). */
  get needsOpening(): boolean {
    return (
      this.next < this.packs.length &&
      (this.at >= this.held.length || this.packs[this.next]!.first <= this.held[this.at]!.createdAt)
    );
  }

  private async open(): Promise<void> {
    const [records] = await (this.reading ?? packRecords(this.db, [this.packs[this.next]!]));
    this.next++;
    // Read the pack after while this one is given out.
    this.reading =
      this.next < this.packs.length ? packRecords(this.db, [this.packs[this.next]!]) : undefined;
    const fresh = records!.filter((r) => r.createdAt >= this.from);
    const rest = this.held.slice(this.at);
    this.held = rest.length ? [...rest, ...fresh].sort(byTimeThenUuid) : fresh;
    this.at = 0;
  }
}

/** Rows and packed records merged into one (createdAt, uuid) order, `size` at a time. */
async function* merged(
  rows: AsyncGenerator<StoredRecord[]>,
  packed: PackedRecords,
  size: number,
): AsyncGenerator<StoredRecord[]> {
  let buf: StoredRecord[] = [];
  let at = 0;
  let rowsDone = false;
  let out: StoredRecord[] = [];
  for (;;) {
    while (at >= buf.length && !rowsDone) {
      const next = await rows.next();
      if (next.done) rowsDone = true;
      else {
        buf = next.value;
        at = 0;
      }
    }
    if (packed.needsOpening) await packed.ready();
    const row = buf[at];
    const pack = packed.current;
    if (!row && !pack) break;
    if (row && (!pack || byTimeThenUuid(row, pack) < 0)) {
      out.push(row);
      at++;
    } else {
      out.push(pack!);
      packed.take();
    }
    if (out.length === size) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

export interface ScanOptions extends ChunkOptions {
  /** Start at this createdAt (inclusive). */
  from?: number;
  pageSize?: number;
  signal?: AbortSignal;
}

/** recordChunks with a callback per page, stopping when `signal` is aborted. */
export async function scanDataset(
  db: MagpieDB,
  datasetId: string,
  onPage: (records: AssembledRecord[]) => void | Promise<void>,
  opts: ScanOptions = {},
): Promise<void> {
  for await (const page of recordChunks(db, datasetId, opts.pageSize ?? 2000, opts.from, opts)) {
    if (opts.signal?.aborted) return;
    await onPage(page);
  }
}
