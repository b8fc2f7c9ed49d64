import type { DropCounts, RunRecord, RunTally } from '../shared/run';
import type { PairRecord } from '../shared/record';
import type { MagpieDB } from './db';

export type NewRun = Omit<
  RunRecord,
  'id' | 'createdAt' | 'updatedAt' | 'status' | 'made' | 'attempts' | 'dropped'
>;

export async function createRun(db: MagpieDB, run: NewRun): Promise<RunRecord> {
  const now = Date.now();
  const record: RunRecord = {
    ...run,
    id: crypto.randomUUID(),
    createdAt: now,
    updatedAt: now,
    status: 'stopped',
    made: 0,
    attempts: 0,
    dropped: {},
  };
  await db.runs.add(record);
  return record;
}

export function getRun(db: MagpieDB, id: string): Promise<RunRecord | undefined> {
  return db.runs.get(id);
}

export function runsOfDataset(db: MagpieDB, datasetId: string): Promise<RunRecord[]> {
  return db.runs.where('datasetId').equals(datasetId).reverse().sortBy('createdAt');
}

export async function updateRun(
  db: MagpieDB,
  id: string,
  patch: Partial<RunRecord>,
): Promise<void> {
  await db.runs.update(id, { ...patch, updatedAt: Date.now() });
}

/** Counters a flush moves forward; absolute values, computed by the one writer. */
export interface RunCounters {
  made: number;
  attempts: number;
  dropped: DropCounts;
  tally?: RunTally;
  /** Completion tokens spent so far (RunRecord.tokens). */
  tokens?: number;
  laterTurnDrops?: number;
}

/**
 * Stores finished pairs and the run's counters in one transaction: after a crash
 * either a pair and the count that includes it are both there, or neither is.
 */
export async function commitPairs(
  db: MagpieDB,
  runId: string,
  pairs: PairRecord[],
  counters: RunCounters,
): Promise<void> {
  await db.transaction('rw', [db.records, db.runs], async () => {
    if (pairs.length) await db.records.bulkAdd(pairs);
    await db.runs.update(runId, { ...counters, updatedAt: Date.now() });
  });
}

/**
 * Runs still marked 'running' whose worker is gone (tab closed, reload, crash) are
 * 'interrupted': resumable. `isAlive` says whether some tab still drives the run.
 */
export async function markInterruptedRuns(
  db: MagpieDB,
  isAlive: (runId: string) => boolean,
): Promise<number> {
  return db.transaction('rw', db.runs, async () => {
    const stale = (await db.runs.where('status').equals('running').toArray()).filter(
      (r) => !isAlive(r.id),
    );
    for (const r of stale)
      await db.runs.update(r.id, { status: 'interrupted', updatedAt: Date.now() });
    return stale.length;
  });
}
