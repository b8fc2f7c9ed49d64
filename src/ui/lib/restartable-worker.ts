/**
 * A worker the page starts on first use and again after it dies (a crash, an out-of-memory
 * kill). Calls in flight when it dies fail with a plain message instead of hanging, as a
 * bare Comlink call would; the next call gets a fresh worker. One for each of the app's
 * workers: generation, the explorer, export/import.
 */
import * as Comlink from 'comlink';

export interface RestartableWorker<Api> {
  /** Calls the worker (starting it if needed); rejects if it dies before answering. */
  call<T>(fn: (api: Comlink.Remote<Api>) => Promise<T>): Promise<T>;
  /** The running worker's API, without starting one. */
  running(): Comlink.Remote<Api> | undefined;
  /** Hears each crash, with the message calls in flight failed with. */
  onCrash(listener: (message: string) => void): () => void;
}

/**
 * `create` must hold the `new Worker(new URL(..., import.meta.url))` expression itself:
 * that literal form is how Vite finds and bundles the worker.
 */
export function restartableWorker<Api>(
  create: () => Worker,
  crashMessage: (reason: string) => string,
): RestartableWorker<Api> {
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

  return {
    call(fn) {
      remote ??= start();
      const api = remote;
      return new Promise((resolve, reject) => {
        pending.add(reject);
        fn(api)
          .then(resolve, (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))))
          .finally(() => pending.delete(reject));
      });
    },
    running: () => remote,
    onCrash(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
