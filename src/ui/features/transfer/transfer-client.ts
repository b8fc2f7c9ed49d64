/**
 * The page's handle on the transfer worker (export and import), started on first use. If
 * the worker dies (an out-of-memory kill), calls in flight fail with a plain error instead
 * of hanging, and the next call starts a fresh worker.
 */
import * as Comlink from 'comlink';
import type { TransferApi } from '../../../shared/transfer-api';
import type { Outcome } from '../../../shared/worker-api';
import { restartableWorker } from '../../lib/restartable-worker';

const worker = restartableWorker<TransferApi>(
  () =>
    new Worker(new URL('../../../formats/transfer.worker.ts', import.meta.url), {
      type: 'module',
      name: 'magpie-transfer',
    }),
  (reason) => `The export/import worker stopped: ${reason}.`,
);

/** Calls the worker; a dead worker becomes an explained failure, like any other. */
export function callTransfer<T>(
  call: (api: Comlink.Remote<TransferApi>) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  return worker.call(call).catch((err: Error) => ({
    ok: false as const,
    error: {
      code: 'unknown' as const,
      message: err.message,
      hint: 'Try again; the worker restarts by itself. An import that was going is undone.',
    },
  }));
}

/** Cancels a job; harmless when it has ended. */
export function cancelTransfer(jobId: string): void {
  void worker.running()?.cancel(jobId);
}

export const proxy = Comlink.proxy;
