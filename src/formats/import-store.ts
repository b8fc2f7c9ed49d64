/**
 * An import's writes: a batch at a time, and the undo that removes every record an import
 * stored (they all carry runId `import:<id>`).
 */
import type { PairRecord } from '../shared/record';
import { IMPORT_RUN_PREFIX } from '../shared/transfer-api';
import type { MagpieDB } from '../store/db';
import { storePacks, type StoredByRun } from '../store/packs';
import { deleteRunRecords, presentUuids } from '../store/records';

/**
 * Stores a batch as packs (store/packs.ts). A uuid this database already holds (the same
 * file imported twice, or an export of this very dataset), or that came earlier in this
 * import, gets a fresh one instead: one lookup of the batch's uuids in the keys alone.
 */
export async function storeBatch(
  db: MagpieDB,
  batch: PairRecord[],
  /** uuids this import stored already. */
  stored: Set<string>,
): Promise<void> {
  // One transaction, so another writer cannot take a uuid between the lookup and the write.
  await db.transaction('rw', db.records, db.recordPacks, db.packBodies, async () => {
    const taken = await presentUuids(
      db,
      batch.map((r) => r.uuid),
    );
    for (const r of batch) {
      if (taken.has(r.uuid) || stored.has(r.uuid)) r.uuid = crypto.randomUUID();
      stored.add(r.uuid);
    }
    await storePacks(db, batch);
  });
}

/**
 * Removes every record an import stored, whole packs at a time. The import being undone
 * says what it stored (`stored`), so no pack is read back for its uuids.
 */
export function discardImport(
  db: MagpieDB,
  importId: string,
  stored?: StoredByRun,
): Promise<number> {
  return deleteRunRecords(db, IMPORT_RUN_PREFIX + importId, stored);
}

/** Adds the names of extra fields an import brought to its dataset's list (in one transaction). */
export async function addExtraFields(
  db: MagpieDB,
  datasetId: string,
  names: Iterable<string>,
): Promise<void> {
  await db.transaction('rw', db.datasets, async () => {
    const known = (await db.datasets.get(datasetId))?.extraFields ?? [];
    const added = [...names].filter((n) => !known.includes(n));
    if (added.length) await db.datasets.update(datasetId, { extraFields: [...known, ...added] });
  });
}
