/**
 * The page's handle on the map worker (started on first use, again after a crash). It
 * computes and stores positions; drawing reads them through the explorer worker.
 */
import * as Comlink from 'comlink';
import type { MapApi } from '../../../shared/map-api';
import type { Outcome } from '../../../shared/worker-api';
import { restartableWorker } from '../../lib/restartable-worker';

const worker = restartableWorker<MapApi>(
  () =>
    new Worker(new URL('../../../map/map.worker.ts', import.meta.url), {
      type: 'module',
      name: 'magpie-map',
    }),
  (reason) => `The map's worker stopped (${reason}). Try again; it restarts by itself.`,
);

export function mapWorker<T>(call: (api: Comlink.Remote<MapApi>) => Promise<T>): Promise<T> {
  return worker.call(call);
}

/** A call answering an Outcome; a dead worker becomes one more explained failure. */
export function mapOutcome<T>(
  call: (api: Comlink.Remote<MapApi>) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  return worker.call(call).catch((err: Error) => ({
    ok: false as const,
    error: { code: 'unknown' as const, message: err.message, hint: 'Try again.' },
  }));
}

export const proxy = Comlink.proxy;
