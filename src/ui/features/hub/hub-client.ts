/**
 * The page's handle on the hub worker, started on first push, and the session's Hub login.
 * The token lives in this module's memory only: it survives switching views, not a reload,
 * and is never written to storage or logged.
 */
import type * as Comlink from 'comlink';
import type { HubAccount, HubApi, HubLogin } from '../../../shared/hub-api';
import type { Outcome } from '../../../shared/outcome';
import { workerClient } from '../../lib/worker-client';

const worker = workerClient<HubApi>(
  () =>
    new Worker(new URL('../../../hub/hub.worker.ts', import.meta.url), {
      type: 'module',
      name: 'magpie-hub',
    }),
  {
    crashMessage: (reason) => `The Hub upload worker stopped: ${reason}.`,
    hint: 'Push again; the worker restarts by itself. A commit is all or nothing, so nothing half-made is on the Hub.',
  },
);

export function callHub<T>(
  call: (api: Comlink.Remote<HubApi>) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  return worker.outcome(call);
}

export function cancelHub(jobId: string): void {
  void worker.running()?.cancel(jobId);
}

interface Session {
  login: HubLogin;
  account: HubAccount;
}

let session: Session | undefined;

export function hubSession(): Session | undefined {
  return session;
}

export function keepHubSession(next: Session | undefined): void {
  session = next;
}
