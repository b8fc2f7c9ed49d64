/**
 * Everything Magpie Studio keeps lives in one IndexedDB database, written by the
 * pipeline worker and read by the page (Dexie relays changes between them, so the
 * page's live queries update as the worker writes).
 *
 *   datasets  a named collection the user generates into
 *   runs      one generation run: its engine, template, settings and counters
 *   records   one instruction/response pair (PairRecord)
 *   recipes   saved filter recipes
 *
 * Schema versions are append-only: a new field that needs an index or a backfill
 * gets a new version with an upgrade function; old versions stay declared so a
 * database from any earlier release opens without losing a row.
 */
import { Dexie, type EntityTable } from 'dexie';
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
  }
}

let shared: MagpieDB | undefined;

/** The app's database, opened lazily so tests and benches can use their own. */
export function getDb(): MagpieDB {
  shared ??= new MagpieDB();
  return shared;
}
