/**
 * Everything Magpie Studio keeps lives in one IndexedDB database, written by the
 * pipeline worker and read by the page (Dexie relays changes between them, so the
 * page's live queries update as the worker writes).
 *
 *   datasets  a named collection the user generates into
 *   runs      one generation run: its engine, template, settings and counters
 *   records   one instruction/response pair (PairRecord): its texts and what it was made with
 *   recordPacks, packBodies
 *             imported records, several hundred to a value (packs.ts): a dataset's
 *             records are its `records` rows and its packs' records
 *   recordDerived, derivedPacks
 *             what is written about a record later (review, judge tags, the app's
 *             near-duplicate values), one small row per record, or many records' to a
 *             pack when a pass changes thousands at once (see derived.ts)
 *   recipes   saved filter recipes
 *   explorerSnapshots, explorerSegments
 *             the explorer's saved index of a dataset (columns, sort orders, text index),
 *             so reopening 300,000 records does not read them all again
 *   mapLayouts, mapModels
 *             the topic map of a dataset: positions (what the page draws and region
 *             filters resolve against) and what placing later records needs
 *
 * Schema versions are append-only: a new field that needs an index or a backfill
 * gets a new version with an upgrade function; old versions stay declared so a
 * database from any earlier release opens without losing a row.
 */
import {
  Dexie,
  type DBCore,
  type DBCoreMutateRequest,
  type DBCoreMutateResponse,
  type DBCoreTable,
  type DBCoreTransaction,
  type EntityTable,
  type Middleware,
  type Table,
  type Transaction,
} from 'dexie';
import type { ExplorerSegmentRow, ExplorerSnapshotRow } from './snapshot-format';
import type { MapLayoutRow, MapModelRow } from './map-layout-format';
import type { DerivedPack, RecordDerived } from './derived-row';
import type { PackBody, RecordPack } from './pack-format';
import type { Dataset, PairRecord } from '../shared/record';
import type { RunRecord } from '../shared/run';

export const DB_NAME = 'magpie-studio';

/** v1: the generation foundation. */
export const SCHEMA_V1 = {
  datasets: 'id, createdAt',
  runs: 'id, datasetId, status',
  records: 'uuid, datasetId, runId, [datasetId+createdAt]',
} as const;

/** v2: review status for curation (unreviewed / kept / rejected), indexed per dataset. */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  records: 'uuid, datasetId, runId, [datasetId+createdAt], [datasetId+review]',
} as const;

/** v3: the user's saved filter recipes (the quality feature). */
export const SCHEMA_V3 = { ...SCHEMA_V2, recipes: 'id, name' } as const;

/**
 * v4: a change feed and the explorer's saved index. Every record written gets `changedAt`
 * (indexed per dataset) and every record deleted leaves a tombstone in recordDeletions, in
 * the same transaction (see changeFeed), so the explorer reads only what changed since its
 * saved index: counting or listing 300,000 keys takes seconds in Chromium. Records from
 * before v4 have no `changedAt`; the explorer's first full read covers them.
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  records:
    'uuid, datasetId, runId, [datasetId+createdAt], [datasetId+review], [datasetId+changedAt]',
  recordDeletions: 'uuid, at',
  explorerSnapshots: 'datasetId',
  explorerSegments: '[datasetId+id], datasetId',
} as const;

/** v5: the topic map's stored positions and model, one row each per dataset. */
export const SCHEMA_V5 = {
  ...SCHEMA_V4,
  mapLayouts: 'datasetId',
  mapModels: 'datasetId',
} as const;

/**
 * v6: derived fields apart from the records (derived.ts), stamped like records so the
 * explorer catches up with them by [datasetId+changedAt]. No upgrade: the review and tags
 * older releases wrote inline stay in the records as the overlay's base.
 */
export const SCHEMA_V6 = {
  ...SCHEMA_V5,
  recordDerived: 'uuid, [datasetId+changedAt]',
} as const;

/**
 * v7: imported records stored packed (packs.ts): a pack's small row (what counts, orders
 * and the change feed need) apart from its body (the records as JSON lines, UTF-8, and
 * their uuids, indexed so a record is found by uuid without opening packs). No upgrade:
 * records stored before stay rows.
 */
export const SCHEMA_V7 = {
  ...SCHEMA_V6,
  recordPacks: 'id, datasetId, runId, [datasetId+first], [datasetId+last], [datasetId+changedAt]',
  packBodies: 'id, *uuids',
} as const;

/**
 * v8: the change clock (one row): the stamp every later write is stamped at or above, so
 * stamps and the watermarks read from it only go up, whatever the wall clock does (an NTP
 * correction, a user setting the time back). The upgrade starts it above every stamp and
 * tombstone already stored.
 */
export const SCHEMA_V8 = {
  ...SCHEMA_V7,
  changeClock: 'id',
} as const;

/**
 * v9: derived states of many records to a value (derived-row.ts, DerivedPack), written by
 * passes that change thousands of records at once; stamped like rows, found by the records'
 * time (a reader of some records asks only packs overlapping theirs). No upgrade: rows stay
 * rows.
 */
export const SCHEMA_V9 = {
  ...SCHEMA_V8,
  derivedPacks: 'id, [datasetId+changedAt], [datasetId+first], [datasetId+last]',
} as const;

/** A deleted record's uuid and when (a stamp of the change clock). RANGE_DELETED marks a delete by key range (e.g. clear()). */
export interface RecordDeletion {
  uuid: string;
  at: number;
}
/** Tombstones to put for records that were not rows (packed): `at` is stamped as they are stored. */
export const tombstones = (uuids: Iterable<string>): RecordDeletion[] =>
  Array.from(uuids, (uuid) => ({ uuid, at: 0 }));
export const RANGE_DELETED = '\uffff(range)';
/** Tombstones are kept this long (then pruned): a reader that looks further back compares all keys. */
export const TOMBSTONE_DAYS = 30;

/** A record as stored: PairRecord plus the change stamp the database adds. */
export type StoredRecord = PairRecord & { changedAt?: number };

/** Tables whose rows the change feed stamps with `changedAt` on every write. */
const STAMPED = new Set(['records', 'recordDerived', 'recordPacks', 'derivedPacks']);
/** The stamped tables a database before v9 has (the v8 upgrade reads their stamps). */
const STAMPED_BEFORE_V9 = ['records', 'recordDerived', 'recordPacks'];

/** The change clock's row: every stamp handed out so far is below `at`. */
export interface ChangeClockRow {
  id: string;
  at: number;
}
const CLOCK = 'changeClock';
const CLOCK_KEY = 'stamps';
/**
 * A transaction reserves stamps a span at a time above the clock and the wall clock, and
 * moves the clock past the span (one small put per transaction, not per record). The step
 * stays above a double's spacing at these magnitudes for centuries; stamps are unique
 * without a random fraction, since every stamping transaction holds the clock row.
 */
const STAMP_STEP = 2 ** -8;
const STAMP_SPAN = 2 ** -4;

/** Write transactions over these tables take the clock row too (their writes are stamped). */
const CLOCKED = new Set([...STAMPED, 'recordDeletions']);
function holdsClock(stores: readonly string[], mode: string): boolean {
  return mode === 'readwrite' && stores.some((name) => CLOCKED.has(name));
}

/**
 * The change clock now: every write whose transaction ran before this read was stamped
 * below it, and every write whose transaction runs after, at or above it. What a reader
 * takes as its watermark before it opens its reads (the dataset worker's catch-up), and
 * what a writer compares tombstones with. Inside a transaction that writes stamped tables,
 * read there (a transaction of its own would wait for this one).
 */
export async function changeClock(db: MagpieDB): Promise<number> {
  const tx = Dexie.currentTransaction;
  const read = (trans: DBCoreTransaction) =>
    db.core.table(CLOCK).get({ trans, key: CLOCK_KEY }) as Promise<ChangeClockRow | undefined>;
  const row =
    tx && tx.active && holdsClock(tx.storeNames, tx.mode)
      ? await read(tx.idbtrans as unknown as DBCoreTransaction)
      : await Dexie.ignoreTransaction(() => db.changeClock.get(CLOCK_KEY));
  return row?.at ?? 0;
}

/** Stamps reserved by one transaction: `next` up to (not including) `end`, the clock as it wrote it. */
interface Reserved {
  next: number;
  end: number;
}
/** Write transactions running in the database (a request of theirs answered), with their stamps. */
const running = new WeakMap<object, Promise<Reserved | undefined>>();

/**
 * Runs `then` once the transaction runs in the database, not merely was opened here, with
 * the clock as it reads it there (undefined where the clock does not exist yet: an older
 * version's upgrade). IndexedDB runs transactions whose tables overlap in the order they
 * were opened, and every stamping transaction holds the clock row, so a write that a read
 * opened after some reading of the clock does not see is stamped at or above that reading:
 * a reader that walks stamps from the clock read before it opens its reads (the dataset
 * worker's catch-up) needs no margin for writes in flight, nor trusts the wall clock.
 * Chained on a Dexie promise, which runs `then` in the transaction's zone (the layers
 * below need it; a native await would lose it).
 */
function whenRunning<T>(
  table: DBCoreTable,
  clock: DBCoreTable | undefined,
  trans: DBCoreTransaction,
  then: (reserved: Reserved | undefined) => Promise<T>,
): Promise<T> {
  let reading = running.get(trans);
  if (!reading) {
    reading = Dexie.Promise.resolve(
      clock
        ? clock.get({ trans, key: CLOCK_KEY }).then((row?: ChangeClockRow) => {
            const at = row?.at ?? 0;
            return { next: at, end: at };
          })
        : table.get({ trans, key: PROBE_KEY }).then(() => undefined),
    );
    running.set(trans, reading);
  }
  return reading.then(then);
}

/**
 * The next stamp of a transaction: from its span, or a new span above the clock and the wall
 * clock (the clock row moved past it in the same transaction). Without a clock (an older
 * version's upgrade), the wall clock with a random fraction, as releases before v8 stamped.
 */
function nextStamp(
  reserved: Reserved | undefined,
  clock: DBCoreTable | undefined,
  trans: DBCoreTransaction,
): number {
  if (!reserved || !clock) return Date.now() + Math.random() * 0.9;
  if (reserved.next >= reserved.end) {
    reserved.next = Math.max(Date.now(), reserved.end);
    reserved.end = reserved.next + STAMP_SPAN;
    // Not awaited: requests run in order, and a failure aborts the transaction, which the
    // write's own request then reports.
    clock
      .mutate({ type: 'put', trans, values: [{ id: CLOCK_KEY, at: reserved.end }] })
      .catch(() => undefined);
  }
  const stamp = reserved.next;
  reserved.next += STAMP_STEP;
  return stamp;
}

/** A key no row has: read to learn that a transaction is running (where there is no clock). */
const PROBE_KEY = '\uffff(probe)';

/**
 * The change feed, for every writer (the pipeline, the quality jobs, imports, the
 * explorer): records and derived rows put or added get `changedAt` from the change clock,
 * in place (the writer sees the stamp it stored); records deleted get a tombstone stamped
 * the same way and lose their derived row, all in the deleting transaction (which this
 * middleware widens to those tables and the clock), so a delete and its traces are atomic.
 */
const changeFeed: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'records-change-feed',
  create: (down) => {
    const has = (name: string) => down.schema.tables.some((t) => t.name === name);
    return {
      ...down,
      transaction(stores, mode, options) {
        const extra = [
          ...(mode === 'readwrite' && stores.includes('records')
            ? ['recordDeletions', 'recordDerived']
            : []),
          ...(holdsClock(stores, mode) ? [CLOCK] : []),
        ].filter(has);
        return down.transaction(
          extra.length ? [...new Set([...stores, ...extra])] : stores,
          mode,
          options,
        );
      },
      table(name) {
        const table = down.table(name);
        // Tombstones a writer puts itself (records that were packed, not rows) are stamped
        // here too, as those the delete of a row leaves.
        const isTombstones = name === 'recordDeletions';
        if (!STAMPED.has(name) && !isTombstones) return table;
        // Absent while an older version's upgrade runs; those upgrades delete nothing.
        const hasTombstones = has('recordDeletions');
        const hasDerived = name === 'records' && has('recordDerived');
        const clock = has(CLOCK) ? down.table(CLOCK) : undefined;
        return {
          ...table,
          mutate: (req) =>
            whenRunning(table, clock, req.trans, (reserved) => mutateNow(req, reserved)),
        };
        async function mutateNow(
          req: DBCoreMutateRequest,
          reserved: Reserved | undefined,
        ): Promise<DBCoreMutateResponse> {
          if (req.type === 'add' || req.type === 'put') {
            const stamp = nextStamp(reserved, clock, req.trans);
            const field = isTombstones ? 'at' : 'changedAt';
            for (const value of req.values as Record<string, number>[])
              if (value && typeof value === 'object') value[field] = stamp;
          } else if (name === 'records') {
            if (hasTombstones) {
              const at = nextStamp(reserved, clock, req.trans);
              const uuids = req.type === 'delete' ? (req.keys as string[]) : [RANGE_DELETED];
              if (uuids.length)
                await down.table('recordDeletions').mutate({
                  trans: req.trans,
                  type: 'put',
                  values: uuids.map((uuid): RecordDeletion => ({ uuid, at })),
                });
            }
            // Derived rows share the records' keys: the same keys or key range go.
            if (hasDerived)
              await down
                .table('recordDerived')
                .mutate(
                  req.type === 'delete'
                    ? { type: 'delete', trans: req.trans, keys: req.keys }
                    : { type: 'deleteRange', trans: req.trans, range: req.range },
                );
          }
          return table.mutate(req);
        }
      },
    };
  },
};

/** A saved recipe; its steps are the quality feature's own type (stored as is). */
export interface StoredRecipe {
  id: string;
  name: string;
  createdAt: number;
  steps: unknown;
}

export class MagpieDB extends Dexie {
  datasets!: EntityTable<Dataset, 'id'>;
  runs!: EntityTable<RunRecord, 'id'>;
  records!: EntityTable<PairRecord, 'uuid'>;
  recipes!: EntityTable<StoredRecipe, 'id'>;
  recordDeletions!: EntityTable<RecordDeletion, 'uuid'>;
  recordDerived!: EntityTable<RecordDerived, 'uuid'>;
  derivedPacks!: EntityTable<DerivedPack, 'id'>;
  recordPacks!: EntityTable<RecordPack, 'id'>;
  packBodies!: EntityTable<PackBody, 'id'>;
  explorerSnapshots!: EntityTable<ExplorerSnapshotRow, 'datasetId'>;
  explorerSegments!: Table<ExplorerSegmentRow, [string, number]>;
  mapLayouts!: EntityTable<MapLayoutRow, 'datasetId'>;
  mapModels!: EntityTable<MapModelRow, 'datasetId'>;
  changeClock!: EntityTable<ChangeClockRow, 'id'>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores(SCHEMA_V1);
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade((tx) =>
        tx
          .table('records')
          .toCollection()
          .modify((r: Partial<PairRecord>) => {
            r.review ??= 'unreviewed';
          }),
      );
    this.version(3).stores(SCHEMA_V3);
    this.version(4).stores(SCHEMA_V4);
    this.version(5).stores(SCHEMA_V5);
    this.version(6).stores(SCHEMA_V6);
    this.version(7).stores(SCHEMA_V7);
    this.version(8)
      .stores(SCHEMA_V8)
      .upgrade(async (tx) => {
        await tx.table(CLOCK).put({ id: CLOCK_KEY, at: await highestStamp(tx) });
      });
    this.version(9).stores(SCHEMA_V9);
    this.on('populate', (tx) => tx.table(CLOCK).add({ id: CLOCK_KEY, at: Date.now() }));
    this.use(changeFeed);
  }
}

/**
 * Where the clock starts in a database from before v8: above the wall clock and every
 * stamp and tombstone stored (their newest per dataset, a key each, from the stamp
 * indexes), so no later write is stamped below a watermark a saved index already holds.
 */
async function highestStamp(tx: Transaction): Promise<number> {
  let high = Date.now();
  const datasets = (await tx.table('datasets').toCollection().primaryKeys()) as string[];
  for (const ds of datasets)
    for (const name of STAMPED_BEFORE_V9) {
      const [key] = (await tx
        .table(name)
        .where('[datasetId+changedAt]')
        .between([ds, -Infinity], [ds, Infinity])
        .reverse()
        .limit(1)
        .keys()) as unknown as [string, number][];
      if (key) high = Math.max(high, key[1]);
    }
  const [gone] = (await tx
    .table('recordDeletions')
    .orderBy('at')
    .reverse()
    .limit(1)
    .keys()) as number[];
  if (gone !== undefined) high = Math.max(high, gone);
  return high + STAMP_SPAN;
}

let shared: MagpieDB | undefined;

/** The app's database, opened lazily so tests and benches can use their own. */
export function getDb(): MagpieDB {
  shared ??= new MagpieDB();
  return shared;
}
