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

/** How long to wait for a dead worker's run lock; a lock held longer belongs to another tab. */
const CRASH_LOCK_WAIT_MS = 5000;

/**
 * After the worker died: the browser releases its run locks only once it has torn the
 * worker down, a moment after the page hears of the crash, so a check right away would
 * still see them held. Waits for each running run's lock, then marks what is free.
 */
export async function recoverAfterCrash(): Promise<void> {
  const running = (await getDb().runs.where('status').equals('running').primaryKeys()) as string[];
  await Promise.all(
    running.map(
      (id) =>
        navigator.locks
          ?.request(
            RUN_LOCK_PREFIX + id,
            { signal: AbortSignal.timeout(CRASH_LOCK_WAIT_MS) },
            // Held by this callback while marking, so no worker can start the run meanwhile.
            () => markInterruptedRuns(getDb(), (runId) => runId !== id),
          )
          .catch(() => undefined), // still held after the wait: another tab drives it
    ),
  );
}
