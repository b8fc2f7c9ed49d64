/**
 * The page's handle on the pipeline worker. One worker per tab; if it dies (a crash,
 * an out-of-memory kill) calls in flight fail with a clear error and the next call
 * starts a fresh worker, so a run can be resumed without reloading the page.
 */
import * as Comlink from 'comlink';
import type { Outcome, PipelineApi } from '../../shared/worker-api';
import { restartableWorker } from './restartable-worker';

const worker = restartableWorker<PipelineApi>(
  () =>
    new Worker(new URL('../../pipeline/pipeline.worker.ts', import.meta.url), {
      type: 'module',
      name: 'magpie-pipeline',
    }),
  (reason) => `The generation worker stopped: ${reason}.`,
);

/**
 * Calls the worker; the promise rejects if the worker dies before answering, rather
 * than hanging forever as a bare Comlink call would.
 */
export function callWorker<T>(call: (api: Comlink.Remote<PipelineApi>) => Promise<T>): Promise<T> {
  return worker.call(call);
}

export function onWorkerCrash(listener: (message: string) => void): () => void {
  return worker.onCrash(listener);
}

export const proxy = Comlink.proxy;

/** For calls that answer an Outcome: a dead worker becomes one more explained failure. */
export function callForOutcome<T>(
  call: (api: Comlink.Remote<PipelineApi>) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  return callWorker(call).catch((err: Error) => ({
    ok: false as const,
    error: {
      code: 'unknown' as const,
      message: err.message,
      hint: 'Try again; the worker restarts by itself.',
    },
  }));
}
