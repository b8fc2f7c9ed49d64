/**
 * The page's channel to the quality worker (near-duplicates, recipe, counts). That
 * worker belongs to the pipeline worker (which tells it when pairs are stored); the page
 * gets a MessagePort to it through the pipeline worker, once. If the pipeline worker
 * dies, so does the quality worker: calls in flight fail with a plain message and the
 * next call connects again.
 */
import * as Comlink from 'comlink';
import type { QualityApi } from '../../../shared/quality';
import type { Outcome } from '../../../shared/worker-api';
import { callWorker, onWorkerCrash } from '../../lib/worker-client';

let remote: Promise<Comlink.Remote<QualityApi>> | undefined;
const pending = new Set<(err: Error) => void>();

onWorkerCrash((message) => {
  remote = undefined;
  for (const reject of pending) reject(new Error(message));
  pending.clear();
});

function connect(): Promise<Comlink.Remote<QualityApi>> {
  remote ??= (async () => {
    const { port1, port2 } = new MessageChannel();
    await callWorker((api) => api.connectQuality(Comlink.transfer(port2, [port2])));
    return Comlink.wrap<QualityApi>(port1);
  })().catch((err: unknown) => {
    remote = undefined;
    throw err;
  });
  return remote;
}

/** Calls the quality worker; a failure of the channel becomes one more explained Outcome. */
export function callQuality<T>(
  call: (api: Comlink.Remote<QualityApi>) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  return new Promise<Outcome<T>>((resolve, reject) => {
    pending.add(reject);
    connect()
      .then(call)
      .then(resolve, reject)
      .finally(() => pending.delete(reject));
  }).catch((err: unknown) => ({
    ok: false as const,
    error: {
      code: 'unknown' as const,
      message: err instanceof Error ? err.message : String(err),
      hint: 'Try again; the worker restarts by itself. Stored records and tags are kept.',
    },
  }));
}

export const proxy = Comlink.proxy;
