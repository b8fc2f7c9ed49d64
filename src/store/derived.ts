/**
 * Derived fields live apart from the records' texts. What is written about a record after
 * it was made (its review status, the judge's tags and failures, the app's near-duplicate
 * values with the method that found them) goes to a small row in `recordDerived`, keyed by
 * the record's uuid, so a bulk review, a judge pass or a near-duplicate catch-up writes a
 * few small values instead of rewriting whole records (Chromium's cost is per value
 * written, and a whole record carries its texts). A pass that changes thousands of records
 * at once writes their states to derived packs instead, thousands to a value
 * (derived-packs.ts); a record's state is the newer of its row and its pack entry.
 *
 * The record keeps what it was created with (its texts, generation-time tags, an imported
 * file's fields), which is also the base of the overlay: a database from before v6 holds
 * reviews and tags inline, and they read back as they were until a derived row says
 * otherwise. Every reader that needs derived values gets records through `withDerived`
 * (the keyset iterator, the detail view, the explorer's rows, the dataset index), the one
 * place the two are joined.
 *
 * Near-duplicate values come from two places that must not overwrite each other: a file
 * (a Magpie release carries the authors' embedding values) and the app's own passes. The
 * file's stay in the record; the app's sit in the derived row with their method; which a
 * reader sees is a choice per dataset (`NearDupSource`).
 */
import type { DedupMethod } from '../shared/quality';
import type { Dataset, PairRecord, RecordTags } from '../shared/record';
import { changeClock, type MagpieDB, type StoredRecord } from './db';
import type { AppNearDup, DerivedFields, NearDupSource, RecordDerived } from './derived-row';
import {
  PACKED_FROM,
  PACK_ENTRIES,
  PackedStates,
  datasetDerivedPacks,
  dropReplacedPacks,
  makeDerivedPack,
  newerState,
  packedStatesFor,
  packsKnown,
} from './derived-packs';
import { recordTables } from './packs';
import { presentUuids, stillPresent, storedRecords } from './records';

export type { AppNearDup, DerivedFields, NearDupSource, RecordDerived } from './derived-row';

const NEAR_DUP_KEYS = ['min_neighbor_distance', 'repeat_count', 'min_similar_uuid'] as const;

/**
 * The dataset row with its reader settings. `nearDupGeneration` counts changes of the
 * choice: an index saved under another generation holds the old choice's values.
 */
export type StoredDataset = Dataset & { nearDupSource?: NearDupSource; nearDupGeneration?: number };

/** A change to a record's derived row: fields merged (null clears), near-duplicates replaced. */
export interface DerivedChange {
  uuid: string;
  fields?: DerivedFields;
  nearDup?: AppNearDup;
}

/**
 * A record as read whole: its derived row's stamp beside its own, and the method behind
 * its near-duplicate values when they are the app's from a derived row.
 */
export type AssembledRecord = StoredRecord & { derivedAt?: number; nearDupMethod?: DedupMethod };

/** What a derived row changes in the assembled record: undefined values are cleared fields. */
export interface DerivedPatch {
  uuid: string;
  derivedAt: number;
  values: Partial<Record<keyof PairRecord, unknown>>;
}

/** Near-duplicate values a record carries inline are a file's only when it was imported. */
const fromFile = (r: PairRecord) => r.engine === 'unknown';

/** Where the near-duplicate values a reader sees come from, for this record. */
function nearDupChoice(
  record: PairRecord,
  app: AppNearDup | undefined,
  source: NearDupSource,
): 'app' | 'inline' | 'none' {
  if (app && source !== 'file') return 'app';
  if (source === 'auto') return 'inline';
  // A generated record's inline values can only be an app pass's (written before v6).
  if (source === 'app') return fromFile(record) ? 'none' : 'inline';
  return fromFile(record) ? 'inline' : 'none';
}

/** The record overlaid with its derived row, near-duplicates as `source` chooses. */
export function assemble(
  record: StoredRecord,
  derived: RecordDerived | undefined,
  source: NearDupSource,
): AssembledRecord {
  const out: Record<string, unknown> = { ...record };
  if (derived) {
    for (const [key, value] of Object.entries(derived.fields)) {
      if (value === null || value === undefined) delete out[key];
      else out[key] = value;
    }
    if (derived.changedAt !== undefined) out.derivedAt = derived.changedAt;
  }
  const choice = nearDupChoice(record, derived?.nearDup, source);
  if (choice === 'app') {
    const app = derived!.nearDup!;
    for (const key of NEAR_DUP_KEYS) out[key] = app[key];
    out.nearDupMethod = app.method;
  } else if (choice === 'none') {
    for (const key of NEAR_DUP_KEYS) delete out[key];
  }
  return out as unknown as AssembledRecord;
}

/**
 * What a derived row sets in the assembled record, without the record: enough for the
 * dataset index to update its columns in place (no whole-record read).
 */
export function derivedPatch(row: RecordDerived, source: NearDupSource): DerivedPatch {
  const values: DerivedPatch['values'] = {};
  for (const [key, value] of Object.entries(row.fields))
    values[key as keyof PairRecord] = value ?? undefined;
  if (row.nearDup && source !== 'file')
    for (const key of NEAR_DUP_KEYS) values[key] = row.nearDup[key];
  return { uuid: row.uuid, derivedAt: row.changedAt ?? NaN, values };
}

/** Each dataset's choice, asked once per call. */
export class SourceCache {
  private readonly known = new Map<string, Promise<NearDupSource>>();
  constructor(private readonly db: MagpieDB) {}
  get(datasetId: string): Promise<NearDupSource> {
    let s = this.known.get(datasetId);
    if (!s) {
      s = nearDupSource(this.db, datasetId);
      this.known.set(datasetId, s);
    }
    return s;
  }
}

export async function nearDupSource(db: MagpieDB, datasetId: string): Promise<NearDupSource> {
  const ds = (await db.datasets.get(datasetId)) as StoredDataset | undefined;
  return ds?.nearDupSource ?? 'auto';
}

export async function setNearDupSource(
  db: MagpieDB,
  datasetId: string,
  source: NearDupSource,
): Promise<void> {
  await db.transaction('rw', db.datasets, async () => {
    const ds = (await db.datasets.get(datasetId)) as StoredDataset | undefined;
    if (!ds) throw new Error(`No dataset ${datasetId} to set near-duplicate values for.`);
    // A saved index carries the generation it was read under; the next open ignores it.
    await db.datasets.update(datasetId, {
      nearDupSource: source,
      nearDupGeneration: (ds.nearDupGeneration ?? 0) + 1,
    } as Partial<StoredDataset>);
  });
}

/** How many times the dataset's near-duplicate choice changed (see StoredDataset). */
export async function nearDupGeneration(db: MagpieDB, datasetId: string): Promise<number> {
  const ds = (await db.datasets.get(datasetId)) as StoredDataset | undefined;
  return ds?.nearDupGeneration ?? 0;
}

export interface DerivedReadOptions {
  /** Near-duplicate values to show; the dataset's choice when absent. */
  nearDup?: NearDupSource;
}

/**
 * The records overlaid with their derived states (one bulkGet of small rows, and the
 * derived packs overlapping the records' time): the one join of the two, used by every
 * reader of whole records.
 */
export async function withDerived(
  db: MagpieDB,
  records: StoredRecord[],
  opts: DerivedReadOptions & { sources?: SourceCache } = {},
): Promise<AssembledRecord[]> {
  if (!records.length) return [];
  const [rows, packed] = await Promise.all([
    db.recordDerived.bulkGet(records.map((r) => r.uuid)) as Promise<(RecordDerived | undefined)[]>,
    packedStatesFor(db, records),
  ]);
  const sources = opts.sources ?? new SourceCache(db);
  const out: AssembledRecord[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const state = newerState(rows[i], packed.get(r.uuid, r.createdAt));
    out.push(assemble(r, state, opts.nearDup ?? (await sources.get(r.datasetId))));
  }
  return out;
}

/**
 * A whole dataset's derived states, read up front (its rows as one range of the
 * `[datasetId+changedAt]` index, and its derived packs) for a reader that goes through
 * every record (an export, any full read through the keyset iterator). A bulkGet is one IndexedDB request per record (Dexie issues a `get` for
 * each key), each answered by an event of its own on this thread; one range read answers
 * them all at once. A record's row is handed out once and then dropped, so what is held
 * shrinks as the read goes on. The rows are the ones stored when the reader was made: a
 * review written during the read is not in it, so a reader that follows changes takes its
 * watermark before it reads.
 */
export class DatasetDerived {
  private constructor(
    private readonly rows: Map<string, RecordDerived>,
    private readonly packed: PackedStates,
    private readonly source: NearDupSource,
  ) {}

  static async read(
    db: MagpieDB,
    datasetId: string,
    opts: DerivedReadOptions = {},
  ): Promise<DatasetDerived> {
    const [rows, packs, source] = await Promise.all([
      db.recordDerived
        .where('[datasetId+changedAt]')
        .between([datasetId, -Infinity], [datasetId, Infinity], true, true)
        .toArray() as Promise<RecordDerived[]>,
      datasetDerivedPacks(db, datasetId),
      opts.nearDup ?? nearDupSource(db, datasetId),
    ]);
    return new DatasetDerived(
      new Map(rows.map((row) => [row.uuid, row])),
      new PackedStates(packs),
      source,
    );
  }

  /** Records of this dataset, each overlaid with its row (as withDerived). */
  assemble(records: readonly StoredRecord[]): AssembledRecord[] {
    const out: AssembledRecord[] = new Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const row = this.rows.get(r.uuid);
      if (row) this.rows.delete(r.uuid);
      out[i] = assemble(r, newerState(row, this.packed.get(r.uuid, r.createdAt)), this.source);
    }
    return out;
  }
}

/** Records by uuid, assembled (undefined where none). */
export async function getRecords(
  db: MagpieDB,
  uuids: string[],
  opts: DerivedReadOptions = {},
): Promise<(AssembledRecord | undefined)[]> {
  const [records, rows] = await Promise.all([
    storedRecords(db, uuids),
    db.recordDerived.bulkGet(uuids) as Promise<(RecordDerived | undefined)[]>,
  ]);
  const packed = await packedStatesFor(
    db,
    records.filter((r): r is StoredRecord => !!r),
  );
  const sources = new SourceCache(db);
  const out: (AssembledRecord | undefined)[] = [];
  for (let i = 0; i < uuids.length; i++) {
    const r = records[i];
    const state = r && newerState(rows[i], packed.get(r.uuid, r.createdAt));
    out.push(r && assemble(r, state, opts.nearDup ?? (await sources.get(r.datasetId))));
  }
  return out;
}

/** One record, assembled. */
export async function getRecord(
  db: MagpieDB,
  uuid: string,
  opts: DerivedReadOptions = {},
): Promise<AssembledRecord | undefined> {
  return (await getRecords(db, [uuid], opts))[0];
}

/**
 * What a writer knows of the records it writes about: reads begun at or after `since` (a
 * reading of changeClock, db.ts) found every one of them present. Only those deleted since are then looked up
 * (stillPresent), instead of every record. `rowless`: the records that had no derived row
 * then; their rows are read only if one was written since (its stamp is at or after
 * `since`, db.ts), so a write about new records reads nothing back.
 */
export interface SeenPresent {
  since: number;
  rowless?: (uuid: string) => boolean;
}

/**
 * The derived rows of one dataset written since a time, as a writer that writes in chunks
 * (a transaction each) finds them: each search reads only the keys stamped after the one
 * before it, its own earlier chunks' rows among them. The writer keeps one across its
 * chunks; searching from the start in every chunk reads every earlier chunk's rows again,
 * quadratic in a full pass.
 */
export class RowsWrittenSince {
  private readonly found = new Set<string>();

  constructor(private upTo: number) {}

  /** Takes in the keys stamped since the last search; run inside the writing transaction. */
  async search(db: MagpieDB, datasetId: string): Promise<void> {
    // Read in the transaction before its read: a row the read misses was written by a
    // transaction that runs after this one, so it is stamped at or above this (db.ts).
    const now = await changeClock(db);
    const keys = (await db.recordDerived
      .where('[datasetId+changedAt]')
      .between([datasetId, this.upTo], [datasetId, Infinity], true, true)
      .primaryKeys()) as string[];
    for (const key of keys) this.found.add(key);
    this.upTo = now;
  }

  has(uuid: string): boolean {
    return this.found.has(uuid);
  }
}

/** The uuids of a dataset's derived rows, keys alone (one index range). */
async function datasetRowKeys(db: MagpieDB, datasetId: string): Promise<Set<string>> {
  const keys = await db.recordDerived
    .where('[datasetId+changedAt]')
    .between([datasetId, -Infinity], [datasetId, Infinity], true, true)
    .primaryKeys();
  return new Set(keys as string[]);
}

/**
 * Which of a dataset's records have a derived row, for a writer working in chunks (a
 * transaction each): the row keys read once, keys alone (after a pass stored as packs, a few
 * thousand at most), then in each chunk the rows written since. A bulk delete asks it so
 * it deletes only rows that are there: a delete of an absent key costs IndexedDB a request
 * like any other, and most packed records have no row.
 */
export class DerivedRowKeys {
  private constructor(
    private readonly datasetId: string,
    private readonly keys: Set<string>,
    private readonly since: RowsWrittenSince,
  ) {}

  static async read(db: MagpieDB, datasetId: string): Promise<DerivedRowKeys> {
    // Read before the keys: a row they miss is stamped at or above it (db.ts).
    const from = await changeClock(db);
    const keys = await datasetRowKeys(db, datasetId);
    return new DerivedRowKeys(datasetId, keys, new RowsWrittenSince(from));
  }

  /** Those of `uuids` with a row; run inside the writing transaction. */
  async withRow(db: MagpieDB, uuids: readonly string[]): Promise<string[]> {
    await this.since.search(db, this.datasetId);
    return uuids.filter((uuid) => this.keys.has(uuid) || this.since.has(uuid));
  }
}

/**
 * Writes derived changes for records of one dataset, in one transaction: each record's
 * state (its row or pack entry, the newer) is read, merged and put back as a row; records
 * deleted meanwhile get none. Answers the rows as stored (with their stamp), for the
 * caller to apply to an index it holds. A writer in chunks passes the same `rowsSince`
 * (begun at `seen.since`) to each.
 */
export function writeDerived(
  db: MagpieDB,
  datasetId: string,
  changes: DerivedChange[],
  seen?: SeenPresent,
  rowsSince?: RowsWrittenSince,
): Promise<RecordDerived[]> {
  if (!changes.length) return Promise.resolve([]);
  return db.transaction('rw', recordTables(db), async () => {
    const written = await merged(db, datasetId, changes, seen, rowsSince);
    await db.recordDerived.bulkPut(written);
    return written;
  });
}

/** A change about a record of this createdAt (a derived pack's entry holds for that record only). */
export type PackedChange = DerivedChange & { recordAt: number };

/**
 * writeDerived for a chunk of a write that changes thousands of records: the merged
 * states go to one derived pack instead of a row each.
 */
function writeDerivedPack(
  db: MagpieDB,
  datasetId: string,
  changes: PackedChange[],
  seen?: SeenPresent,
  rowsSince?: RowsWrittenSince,
): Promise<RecordDerived[]> {
  if (!changes.length) return Promise.resolve([]);
  return db.transaction('rw', recordTables(db), async () => {
    const recordAt = new Map(changes.map((c) => [c.uuid, c.recordAt]));
    const states = await merged(db, datasetId, changes, seen, rowsSince, recordAt);
    if (!states.length) return [];
    const pack = makeDerivedPack(
      datasetId,
      states.map((state) => ({ state, recordAt: recordAt.get(state.uuid)! })),
    );
    await db.derivedPacks.add(pack); // stamped in place (db.ts)
    packsKnown(db, datasetId).states.add([pack]);
    return states.map((state) => ({ ...state, changedAt: pack.changedAt }));
  });
}

/**
 * Writes changes about many records a chunk of PACK_ENTRIES at a time (a transaction each,
 * unless the caller holds one): as rows, or from `packedFrom` changes on as derived packs,
 * a pack a chunk, after which the packs they replaced go. A writer passes `seen` (when its
 * reads of these records began) so only records deleted since are looked up.
 */
export async function writeDerivedChunks(
  db: MagpieDB,
  datasetId: string,
  changes: PackedChange[],
  seen?: SeenPresent,
  onProgress?: (done: number, total: number) => void,
  packedFrom = PACKED_FROM,
): Promise<RecordDerived[]> {
  const packed = changes.length >= packedFrom;
  const written: RecordDerived[] = [];
  // After a pass stored as packs few records have a row, and a get per record costs a
  // request each even where none is found: a packed write reads the dataset's row keys
  // once (keys alone), and rows written since come from RowsWrittenSince.
  let withRows = seen;
  if (packed && seen && !seen.rowless) {
    const keys = await datasetRowKeys(db, datasetId);
    withRows = { ...seen, rowless: (uuid) => !keys.has(uuid) };
  }
  const rowsSince = withRows && new RowsWrittenSince(withRows.since);
  for (let i = 0; i < changes.length; i += PACK_ENTRIES) {
    const part = changes.slice(i, i + PACK_ENTRIES);
    const rows = packed
      ? await writeDerivedPack(db, datasetId, part, withRows, rowsSince)
      : await writeDerived(db, datasetId, part, withRows, rowsSince);
    for (const row of rows) written.push(row);
    onProgress?.(Math.min(i + PACK_ENTRIES, changes.length), changes.length);
  }
  if (packed) await dropReplacedPacks(db, datasetId);
  return written;
}

/** Each changed record's current state merged with its change: fields merged (null clears), near-duplicates replaced. */
async function merged(
  db: MagpieDB,
  datasetId: string,
  changes: DerivedChange[],
  seen: SeenPresent | undefined,
  rowsSince: RowsWrittenSince | undefined,
  /** Each record's createdAt, where known (a pack entry holds for that record only). */
  recordAt?: Map<string, number>,
): Promise<RecordDerived[]> {
  const uuids = changes.map((c) => c.uuid);
  const [alive, rows, packed] = await Promise.all([
    seen ? stillPresent(db, uuids, seen.since) : presentUuids(db, uuids),
    rowsNow(db, datasetId, uuids, seen, rowsSince),
    packsKnown(db, datasetId).search(db, datasetId),
  ]);
  const next = new Map<string, RecordDerived>();
  changes.forEach((change, i) => {
    if (!alive.has(change.uuid)) return;
    const row: RecordDerived = next.get(change.uuid) ??
      newerState(rows[i], packed.get(change.uuid, recordAt?.get(change.uuid))) ?? {
        uuid: change.uuid,
        datasetId,
        fields: {},
      };
    if (change.fields) row.fields = { ...row.fields, ...change.fields };
    if (change.nearDup) row.nearDup = change.nearDup;
    next.set(change.uuid, row);
  });
  return [...next.values()];
}

/** The derived rows these records have, in their order; read only where one may exist. */
async function rowsNow(
  db: MagpieDB,
  datasetId: string,
  uuids: string[],
  seen: SeenPresent | undefined,
  rowsSince: RowsWrittenSince | undefined,
): Promise<(RecordDerived | undefined)[]> {
  const rowless = seen?.rowless;
  if (!seen || !rowless) return db.recordDerived.bulkGet(uuids);
  const since = rowsSince ?? new RowsWrittenSince(seen.since);
  await since.search(db, datasetId);
  const read = uuids.filter((uuid) => !rowless(uuid) || since.has(uuid));
  const rows = new Map<string, RecordDerived | undefined>();
  (await db.recordDerived.bulkGet(read)).forEach((row, i) => rows.set(read[i]!, row));
  return uuids.map((uuid) => rows.get(uuid));
}

/** Tag changes as a derived row holds them: a field set to undefined is cleared (null). */
export function derivedFields(changes: Partial<RecordTags>): DerivedFields {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) out[key] = value ?? null;
  return out as DerivedFields;
}
