/**
 * The page's handle on the map worker (started on first use, again after a crash). It
 * computes and stores positions; drawing reads them through the dataset worker.
 */
import type * as Comlink from 'comlink';
import type { MapApi } from '../../../shared/map-api';
import type { Outcome } from '../../../shared/outcome';
import { workerClient } from '../../lib/worker-client';

const worker = workerClient<MapApi>(
  () =>
    new Worker(new URL('../../../map/map.worker.ts', import.meta.url), {
      type: 'module',
      name: 'magpie-map',
    }),
  {
    crashMessage: (reason) => `The map's worker stopped (${reason}).`,
    hint: 'Try again; it restarts by itself. The stored map is kept.',
  },
);

export function mapWorker<T>(call: (api: Comlink.Remote<MapApi>) => Promise<T>): Promise<T> {
  return worker.call(call);
}

/** A call answering an Outcome; a dead worker becomes one more explained failure. */
export function mapOutcome<T>(
  call: (api: Comlink.Remote<MapApi>) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  return worker.outcome(call);
}

export { proxy } from '../../lib/worker-client';
