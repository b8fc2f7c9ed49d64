/**
 * The page's handle on the generation worker (engine, runs, the judge). One per tab; if it
 * dies, calls in flight fail with a clear error and the next call starts a fresh worker, so
 * a run can be resumed without reloading the page.
 */
import type * as Comlink from 'comlink';
import type { Outcome } from '../../shared/outcome';
import type { PipelineApi } from '../../shared/worker-api';
import { workerClient } from './worker-client';

const worker = workerClient<PipelineApi>(
  () =>
    new Worker(new URL('../../pipeline/pipeline.worker.ts', import.meta.url), {
      type: 'module',
      name: 'magpie-pipeline',
    }),
  {
    crashMessage: (reason) => `The generation worker stopped: ${reason}.`,
    hint: 'Try again; the worker restarts by itself.',
  },
);

export function callWorker<T>(call: (api: Comlink.Remote<PipelineApi>) => Promise<T>): Promise<T> {
  return worker.call(call);
}

export function callForOutcome<T>(
  call: (api: Comlink.Remote<PipelineApi>) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  return worker.outcome(call);
}

export function onWorkerCrash(listener: (message: string) => void): () => void {
  return worker.onCrash(listener);
}

export { proxy } from './worker-client';
