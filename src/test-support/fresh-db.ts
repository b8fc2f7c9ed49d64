/**
 * Databases for a store test: each a MagpieDB under a fresh name (or one given, to reopen a
 * database an older schema wrote), all closed and deleted after each test.
 */
import { Dexie } from 'dexie';
import { afterEach } from 'vitest';
import { MagpieDB } from '../store/db';

export function freshDatabases(prefix: string): (name?: string) => MagpieDB {
  const opened: MagpieDB[] = [];
  afterEach(async () => {
    const dbs = opened.splice(0);
    for (const db of dbs) db.close();
    for (const name of new Set(dbs.map((db) => db.name))) await Dexie.delete(name);
  });
  return (name = `${prefix}-${crypto.randomUUID()}`) => {
    const db = new MagpieDB(name);
    opened.push(db);
    return db;
  };
}
