/**
 * An import's writes: a batch stored in one transaction, and the undo that removes every
 * record an import stored (they all carry runId `import:<id>`).
 */
import type { PairRecord } from '../shared/record';
import { IMPORT_RUN_PREFIX } from '../shared/transfer-api';
import type { MagpieDB } from '../store/db';

/**
 * Stores a batch in one transaction. A uuid this database already holds (the same file
 * imported twice, or an export of this very dataset) gets a fresh one instead.
 */
export async function storeBatch(db: MagpieDB, batch: PairRecord[]): Promise<void> {
  const taken = new Set(
    await db.records
      .where(':id')
      .anyOf(batch.map((r) => r.uuid))
      .primaryKeys(),
  );
  for (const r of batch) {
    if (taken.has(r.uuid)) r.uuid = crypto.randomUUID();
    taken.add(r.uuid);
  }
  await db.records.bulkAdd(batch);
}

/** Removes every record an import stored. */
export async function discardImport(db: MagpieDB, importId: string): Promise<number> {
  return db.records
    .where('runId')
    .equals(IMPORT_RUN_PREFIX + importId)
    .delete();
}
