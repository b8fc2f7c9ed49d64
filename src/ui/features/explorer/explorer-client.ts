/**
 * The page's handle on the explorer worker (one per tab, started on first use). If the
 * worker dies, calls in flight fail with a plain error and the next call starts a fresh
 * one, which loads the dataset's saved index again.
 */
import * as Comlink from 'comlink';
import type { ExplorerApi } from '../../../shared/explorer-api';
import { restartableWorker } from '../../lib/restartable-worker';

const worker = restartableWorker<ExplorerApi>(
  () =>
    new Worker(new URL('../../../dataset/dataset.worker.ts', import.meta.url), {
      type: 'module',
      name: 'magpie-dataset',
    }),
  (reason) => `The explorer's worker stopped (${reason}). Try again; it restarts by itself.`,
);

/** Calls the worker; rejects (rather than hangs) if the worker dies before answering. */
export function explorer<T>(call: (api: Comlink.Remote<ExplorerApi>) => Promise<T>): Promise<T> {
  return worker.call(call);
}

export const proxy = Comlink.proxy;

// A hidden tab may be closed without warning: save the index while it still can.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden')
    void worker
      .running()
      ?.flush()
      .catch(() => undefined);
});
