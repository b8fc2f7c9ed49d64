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
 *   recordDerived
 *             what is written about a record later (review, judge tags, the app's
 *             near-duplicate values), one small row per record (see derived.ts)
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
} from 'dexie';
import type { ExplorerSegmentRow, ExplorerSnapshotRow } from './snapshot-format';
import type { MapLayoutRow, MapModelRow } from './map-layout-format';
import type { RecordDerived } from './derived-row';
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

/** A deleted record's uuid and when. RANGE_DELETED marks a delete by key range (e.g. clear()). */
export interface RecordDeletion {
  uuid: string;
  at: number;
}
export const RANGE_DELETED = '\uffff(range)';
/** Tombstones are kept this long (then pruned): a reader that looks further back compares all keys. */
export const TOMBSTONE_DAYS = 30;

/** A record as stored: PairRecord plus the change stamp the database adds. */
export type StoredRecord = PairRecord & { changedAt?: number };

/** Tables whose rows the change feed stamps with `changedAt` on every write. */
const STAMPED = new Set(['records', 'recordDerived', 'recordPacks']);

/**
 * When a write happened, in ms, with a random fraction so two writers in the same
 * millisecond (the pipeline tagging, the user keeping) still leave different stamps.
 */
export function changeStamp(): number {
  return Date.now() + Math.random() * 0.9;
}

/** A key no row has: read to learn that a transaction is running. */
const PROBE_KEY = '\uffff(probe)';
/** Write transactions known to be running in the database (a request of theirs answered). */
const running = new WeakSet<object>();

/**
 * Runs `then` once the transaction runs in the database, not merely was opened here.
 * IndexedDB runs transactions whose tables overlap in the order they were opened, so a
 * write that a read opened after some moment does not see runs after that read, and is
 * stamped after that moment: a reader that walks stamps from a time taken before it opens
 * its reads (the dataset worker's catch-up) needs no margin for writes in flight.
 * Chained on a Dexie promise, which runs `then` in the transaction's zone (the layers
 * below need it; a native await would lose it).
 */
function whenRunning<T>(
  table: DBCoreTable,
  trans: DBCoreTransaction,
  then: () => Promise<T>,
): Promise<T> {
  if (running.has(trans)) return then();
  return Dexie.Promise.resolve(table.get({ trans, key: PROBE_KEY })).then(() => {
    running.add(trans);
    return then();
  });
}

/**
 * The change feed, for every writer (the pipeline, the quality jobs, imports, the
 * explorer): records and derived rows put or added get `changedAt`, in place (the writer
 * sees the stamp it stored); records deleted get a tombstone and lose their derived row,
 * both in the deleting transaction (which this middleware widens to those tables), so a
 * delete and its traces are atomic.
 */
const changeFeed: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'records-change-feed',
  create: (down) => {
    const has = (name: string) => down.schema.tables.some((t) => t.name === name);
    return {
      ...down,
      transaction(stores, mode, options) {
        const extra =
          mode === 'readwrite' && stores.includes('records')
            ? ['recordDeletions', 'recordDerived'].filter(has)
            : [];
        return down.transaction(
          extra.length ? [...new Set([...stores, ...extra])] : stores,
          mode,
          options,
        );
      },
      table(name) {
        const table = down.table(name);
        if (!STAMPED.has(name)) return table;
        // Absent while an older version's upgrade runs; those upgrades delete nothing.
        const hasTombstones = has('recordDeletions');
        const hasDerived = name === 'records' && has('recordDerived');
        return {
          ...table,
          mutate: (req) => whenRunning(table, req.trans, () => mutateNow(req)),
        };
        async function mutateNow(req: DBCoreMutateRequest): Promise<DBCoreMutateResponse> {
          if (req.type === 'add' || req.type === 'put') {
            const stamp = changeStamp();
            for (const value of req.values as { changedAt?: number }[])
              if (value && typeof value === 'object') value.changedAt = stamp;
          } else if (name === 'records') {
            if (hasTombstones) {
              const at = Date.now();
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
  recordPacks!: EntityTable<RecordPack, 'id'>;
  packBodies!: EntityTable<PackBody, 'id'>;
  explorerSnapshots!: EntityTable<ExplorerSnapshotRow, 'datasetId'>;
  explorerSegments!: Table<ExplorerSegmentRow, [string, number]>;
  mapLayouts!: EntityTable<MapLayoutRow, 'datasetId'>;
  mapModels!: EntityTable<MapModelRow, 'datasetId'>;

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
    this.use(changeFeed);
  }
}

let shared: MagpieDB | undefined;

/** The app's database, opened lazily so tests and benches can use their own. */
export function getDb(): MagpieDB {
  shared ??= new MagpieDB();
  return shared;
}
