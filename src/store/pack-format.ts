/**
 * The shape of a pack (tables recordPacks and packBodies, schema v7): records stored
 * several hundred to an IndexedDB value. Apart from packs.ts so the schema (db.ts) can
 * name it without an import cycle.
 */

/** What orders, counts and the change feed need, without the records. */
export interface RecordPack {
  id: string;
  datasetId: string;
  /** Every record of a pack comes from one import (its runId), so undoing it drops packs. */
  runId: string;
  /** The smallest and largest createdAt of its records. */
  first: number;
  last: number;
  count: number;
  /** Stamped by the change feed on every write, like a record's; its records carry it. */
  changedAt?: number;
}

/** The records themselves: one JSON record per line, UTF-8, in (createdAt, uuid) order. */
export interface PackBody {
  id: string;
  /** The records' uuids in line order (indexed: which pack holds a uuid). */
  uuids: string[];
  bytes: Uint8Array;
}
