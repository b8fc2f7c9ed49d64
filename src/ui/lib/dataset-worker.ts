/**
 * The page's handle on the dataset worker (one per tab, started on first use): the index
 * of the open dataset, answering the explorer's views and counts, the quality summary, the
 * recipe and near-duplicates. If it dies, calls in flight fail with a plain error and the
 * next call starts a fresh one, which loads the dataset's saved index again.
 */
import type * as Comlink from 'comlink';
import type { DatasetApi } from '../../shared/dataset-api';
import type { DatasetChange } from '../../shared/explorer-api';
import type { Outcome } from '../../shared/outcome';
import { proxy, workerClient } from './worker-client';

const worker = workerClient<DatasetApi>(
  () =>
    new Worker(new URL('../../dataset/dataset.worker.ts', import.meta.url), {
      type: 'module',
      name: 'magpie-dataset',
    }),
  {
    crashMessage: (reason) => `The dataset worker stopped (${reason}).`,
    hint: 'Try again; the worker restarts by itself. Stored records and tags are kept.',
  },
);

/** Calls the worker; rejects (rather than hangs) if the worker dies before answering. */
export function callDataset<T>(call: (api: Comlink.Remote<DatasetApi>) => Promise<T>): Promise<T> {
  return worker.call(call);
}

/** For Outcome methods: a dead worker becomes one more explained failure. */
export function datasetOutcome<T>(
  call: (api: Comlink.Remote<DatasetApi>) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  return worker.outcome(call);
}

/**
 * `onChange` hears every change the dataset worker reports for `datasetId` (pairs arriving,
 * an import, tags, reviews); answers the function that stops it, for an effect's clean-up.
 */
export function watchDataset(
  datasetId: string,
  onChange: (change: DatasetChange) => void,
): () => void {
  let watchId: number | undefined;
  let gone = false;
  void callDataset((api) => api.watch(datasetId, proxy(onChange))).then(
    (id) => {
      if (gone) void callDataset((api) => api.unwatch(id));
      else watchId = id;
    },
    () => undefined, // a dead worker: the next call starts a fresh one, watched anew on remount
  );
  return () => {
    gone = true;
    if (watchId !== undefined) void callDataset((api) => api.unwatch(watchId!));
  };
}

const storing = new Set<string>();
const again = new Set<string>();
/**
 * Pairs were stored in `datasetId` (a run's progress): the worker finds their near-duplicates
 * while the run goes. One notice per dataset in flight, and one more after it if pairs
 * arrived meanwhile.
 */
export function pairsStored(datasetId: string): void {
  if (storing.has(datasetId)) {
    again.add(datasetId);
    return;
  }
  storing.add(datasetId);
  void worker
    .outcome((api) => api.catchUp(datasetId))
    .finally(() => {
      storing.delete(datasetId);
      if (again.delete(datasetId)) pairsStored(datasetId);
    });
}

// A hidden tab may be closed without warning: save the index while it still can.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden')
    void worker
      .running()
      ?.flush()
      .catch(() => undefined);
});

export { proxy };
