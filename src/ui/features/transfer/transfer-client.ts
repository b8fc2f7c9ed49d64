/**
 * The page's handle on the transfer worker (export and import), started on first use. If
 * the worker dies (an out-of-memory kill), calls in flight fail with a plain error instead
 * of hanging, and the next call starts a fresh worker.
 */
import type * as Comlink from 'comlink';
import type { Outcome } from '../../../shared/outcome';
import type { TransferApi } from '../../../shared/transfer-api';
import { workerClient } from '../../lib/worker-client';

const worker = workerClient<TransferApi>(
  () =>
    new Worker(new URL('../../../formats/transfer.worker.ts', import.meta.url), {
      type: 'module',
      name: 'magpie-transfer',
    }),
  {
    crashMessage: (reason) => `The export/import worker stopped: ${reason}.`,
    hint: 'Try again; the worker restarts by itself. An import that was going is undone.',
  },
);

/** Calls the worker; a dead worker becomes an explained failure, like any other. */
export function callTransfer<T>(
  call: (api: Comlink.Remote<TransferApi>) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  return worker.outcome(call);
}

/** Cancels a job; harmless when it has ended. */
export function cancelTransfer(jobId: string): void {
  void worker.running()?.cancel(jobId);
}

export { proxy } from '../../lib/worker-client';
