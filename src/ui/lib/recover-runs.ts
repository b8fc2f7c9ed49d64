import { RUN_LOCK_PREFIX } from '../../shared/worker-api';
import { getDb } from '../../store/db';
import { markInterruptedRuns } from '../../store/runs';

/**
 * A run still marked 'running' whose Web Lock nobody holds was left by a closed tab,
 * a reload or a dead worker: mark it interrupted so it can be resumed.
 */
export async function recoverInterruptedRuns(): Promise<void> {
  const held = new Set<string>();
  const state = await navigator.locks?.query();
  for (const lock of state?.held ?? []) if (lock.name) held.add(lock.name);
  await markInterruptedRuns(getDb(), (runId) => held.has(RUN_LOCK_PREFIX + runId));
}
