/**
 * The page's handle on the transfer worker (export and import), started on first use. If
 * the worker dies (an out-of-memory kill), calls in flight fail with a plain error instead
 * of hanging, and the next call starts a fresh worker.
 */
import * as Comlink from 'comlink';
import type { TransferApi } from '../../../shared/transfer-api';
import type { Outcome } from '../../../shared/worker-api';

let remote: Comlink.Remote<TransferApi> | undefined;
const pending = new Set<(err: Error) => void>();

function start(): Comlink.Remote<TransferApi> {
  const worker = new Worker(new URL('../../../formats/transfer.worker.ts', import.meta.url), {
    type: 'module',
    name: 'magpie-transfer',
  });
  worker.addEventListener('error', (event) => {
    worker.terminate();
    remote = undefined;
    const err = new Error(`The export/import worker stopped: ${event.message || 'unknown error'}.`);
    for (const reject of pending) reject(err);
    pending.clear();
  });
  return Comlink.wrap<TransferApi>(worker);
}

/** Calls the worker; a dead worker becomes an explained failure, like any other. */
export function callTransfer<T>(
  call: (api: Comlink.Remote<TransferApi>) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  remote ??= start();
  const api = remote;
  return new Promise<Outcome<T>>((resolve, reject) => {
    pending.add(reject);
    call(api)
      .then(resolve, reject)
      .finally(() => pending.delete(reject));
  }).catch((err: unknown) => ({
    ok: false as const,
    error: {
      code: 'unknown' as const,
      message: err instanceof Error ? err.message : String(err),
      hint: 'Try again; the worker restarts by itself. An import that was going is undone.',
    },
  }));
}

/** Cancels a job; harmless when it has ended. */
export function cancelTransfer(jobId: string): void {
  void remote?.cancel(jobId);
}

export const proxy = Comlink.proxy;
