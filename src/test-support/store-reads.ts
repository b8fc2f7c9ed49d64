/**
 * What leaves the store, seen at Dexie's lowest layer (DBCore): tests that bound how much a
 * job reads count here, each with its own tally of the reads it cares about. Counting below
 * Dexie's API catches every path a read can take (where clauses, bulkGet, cursors).
 */
import { Dexie, type DBCore, type DBCoreCursor, type Middleware } from 'dexie';

interface Ranged {
  table: string;
  /** The index walked ('' for the primary key in DBCore). */
  index: string;
  primary: boolean;
  /** Values handed out, not keys alone. */
  values: boolean;
}

export type StoreRead =
  /**
   * Values asked for by primary key, as handed out (undefined: none): one (get; the store's
   * probe of a write transaction is one, db.ts) or several (getMany: bulkGet).
   */
  | { kind: 'get' | 'getMany'; table: string; keys: number; found: unknown[] }
  /** A range's keys or values handed out at once (where clauses, primaryKeys(), toArray()). */
  | (Ranged & { kind: 'range'; result: unknown[] })
  /** A cursor opened over a range; each key or value it then hands out is a 'step'. */
  | (Ranged & { kind: 'cursor' })
  | (Ranged & { kind: 'step' });

/** A middleware telling `listen` of every read on the connections that use it. */
export function readCounter(listen: (read: StoreRead) => void): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'count-store-reads',
    create: (down) => ({
      ...down,
      table(name) {
        const table = down.table(name);
        return {
          ...table,
          async get(req) {
            const value: unknown = await table.get(req);
            listen({ kind: 'get', table: name, keys: 1, found: [value] });
            return value;
          },
          async getMany(req) {
            const found: unknown[] = await table.getMany(req);
            listen({ kind: 'getMany', table: name, keys: req.keys.length, found });
            return found;
          },
          async query(req) {
            const res = await table.query(req);
            const { index } = req.query;
            listen({
              kind: 'range',
              table: name,
              index: index.name ?? '',
              primary: index.isPrimaryKey === true,
              values: req.values === true,
              result: res.result,
            });
            return res;
          },
          async openCursor(req) {
            const cursor: DBCoreCursor | null = await table.openCursor(req);
            const { index } = req.query;
            const ranged: Ranged = {
              table: name,
              index: index.name ?? '',
              primary: index.isPrimaryKey === true,
              values: req.values === true,
            };
            listen({ kind: 'cursor', ...ranged });
            if (!cursor) return cursor;
            const start = cursor.start.bind(cursor);
            cursor.start = (onNext) =>
              start(() => {
                listen({ kind: 'step', ...ranged });
                onNext();
              });
            return cursor;
          },
        };
      },
    }),
  };
}

/**
 * Counts on every connection opened from now on (the code under test opens its own), until
 * the answered function is called.
 */
export function countOnEveryConnection(listen: (read: StoreRead) => void): () => void {
  const counter = readCounter(listen);
  const addon = (db: Dexie) => void db.use(counter);
  Dexie.addons.push(addon);
  return () => void Dexie.addons.splice(Dexie.addons.indexOf(addon), 1);
}
