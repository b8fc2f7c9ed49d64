/**
 * The page's one way to talk to a worker. A worker is started on first use and again after
 * it dies (a crash, an out-of-memory kill): calls in flight when it dies fail with a plain
 * message instead of hanging, as a bare Comlink call would, and the next call gets a fresh
 * worker. Every worker API answers Outcomes (src/shared/outcome.ts); `outcome()` makes a
 * dead worker one more explained failure. One instance per worker: generation-worker.ts,
 * dataset-worker.ts, the transfer feature's transfer-client.ts.
 */
import * as Comlink from 'comlink';
import type { Outcome } from '../../shared/outcome';

export interface WorkerClient<Api> {
  /** Calls the worker (starting it if needed); rejects if it dies before answering. */
  call<T>(fn: (api: Comlink.Remote<Api>) => Promise<T>): Promise<T>;
  /** Calls an Outcome method; a dead worker answers a failed Outcome with `hint`. */
  outcome<T>(fn: (api: Comlink.Remote<Api>) => Promise<Outcome<T>>): Promise<Outcome<T>>;
  /** The running worker's API, without starting one. */
  running(): Comlink.Remote<Api> | undefined;
  /** Hears each crash, with the message calls in flight failed with. */
  onCrash(listener: (message: string) => void): () => void;
}

export interface WorkerClientOptions {
  /** The message calls in flight fail with, from the browser's reason. */
  crashMessage: (reason: string) => string;
  /** What a user can do when a call failed because the worker died. */
  hint: string;
}

/**
 * `create` must hold the `new Worker(new URL(..., import.meta.url))` expression itself:
 * that literal form is how Vite finds and bundles the worker.
 */
export function workerClient<Api>(
  create: () => Worker,
  { crashMessage, hint }: WorkerClientOptions,
): WorkerClient<Api> {
  let remote: Comlink.Remote<Api> | undefined;
  const pending = new Set<(err: Error) => void>();
  const listeners = new Set<(message: string) => void>();

  const start = (): Comlink.Remote<Api> => {
    const worker = create();
    worker.addEventListener('error', (event) => {
      const message = crashMessage(event.message || 'unknown error');
      worker.terminate();
      remote = undefined;
      for (const reject of [...pending]) reject(new Error(message));
      pending.clear();
      for (const listener of listeners) listener(message);
    });
    return Comlink.wrap<Api>(worker);
  };

  const call = <T>(fn: (api: Comlink.Remote<Api>) => Promise<T>): Promise<T> => {
    remote ??= start();
    const api = remote;
    return new Promise((resolve, reject) => {
      pending.add(reject);
      fn(api)
        .then(resolve, (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))))
        .finally(() => pending.delete(reject));
    });
  };

  return {
    call,
    outcome: (fn) =>
      call(fn).catch((err: Error) => ({
        ok: false as const,
        error: { code: 'unknown' as const, message: err.message, hint },
      })),
    running: () => remote,
    onCrash(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Wraps a callback so the worker can call it back (progress, events). */
export const proxy = Comlink.proxy;
