/**
 * The page's handle on the pipeline worker. One worker per tab; if it dies (a crash,
 * an out-of-memory kill) calls in flight fail with a clear error and the next call
 * starts a fresh worker, so a run can be resumed without reloading the page.
 */
import * as Comlink from 'comlink';
import type { Outcome, PipelineApi } from '../../shared/worker-api';

type Listener = (message: string) => void;

let worker: Worker | undefined;
let api: Comlink.Remote<PipelineApi> | undefined;
const crashListeners = new Set<Listener>();
let rejectPending: ((err: Error) => void)[] = [];

function start(): Comlink.Remote<PipelineApi> {
  worker = new Worker(new URL('../../pipeline/pipeline.worker.ts', import.meta.url), {
    type: 'module',
    name: 'magpie-pipeline',
  });
  worker.addEventListener('error', (event) => {
    const message = `The generation worker stopped: ${event.message || 'unknown error'}.`;
    worker?.terminate();
    worker = undefined;
    api = undefined;
    for (const reject of rejectPending.splice(0)) reject(new Error(message));
    for (const l of crashListeners) l(message);
  });
  return Comlink.wrap<PipelineApi>(worker);
}

/**
 * Calls the worker; the promise rejects if the worker dies before answering, rather
 * than hanging forever as a bare Comlink call would.
 */
export function callWorker<T>(call: (api: Comlink.Remote<PipelineApi>) => Promise<T>): Promise<T> {
  api ??= start();
  const remote = api;
  return new Promise<T>((resolve, reject) => {
    rejectPending.push(reject);
    const settle = () => (rejectPending = rejectPending.filter((r) => r !== reject));
    call(remote).then(
      (v) => {
        settle();
        resolve(v);
      },
      (e: unknown) => {
        settle();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export function onWorkerCrash(listener: Listener): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
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
