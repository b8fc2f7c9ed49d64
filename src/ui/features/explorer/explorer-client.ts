/**
 * The page's handle on the explorer worker (one per tab, started on first use). If the
 * worker dies, calls in flight fail with a plain error and the next call starts a fresh
 * one, which loads the dataset's saved index again.
 */
import * as Comlink from 'comlink';
import type { ExplorerApi } from '../../../shared/explorer-api';

let worker: Worker | undefined;
let api: Comlink.Remote<ExplorerApi> | undefined;
let rejectPending: ((err: Error) => void)[] = [];

function start(): Comlink.Remote<ExplorerApi> {
  worker = new Worker(new URL('../../../explorer/explorer.worker.ts', import.meta.url), {
    type: 'module',
    name: 'magpie-explorer',
  });
  worker.addEventListener('error', (event) => {
    const message = `The explorer's worker stopped (${event.message || 'unknown error'}). Try again; it restarts by itself.`;
    worker?.terminate();
    worker = undefined;
    api = undefined;
    for (const reject of rejectPending.splice(0)) reject(new Error(message));
  });
  return Comlink.wrap<ExplorerApi>(worker);
}

/** Calls the worker; rejects (rather than hangs) if the worker dies before answering. */
export function explorer<T>(call: (api: Comlink.Remote<ExplorerApi>) => Promise<T>): Promise<T> {
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

export const proxy = Comlink.proxy;

// A hidden tab may be closed without warning: save the index while it still can.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden' && api) void api.flush().catch(() => undefined);
});
