/**
 * Pushes to the Hugging Face Hub with @huggingface/hub: who a token is, the datasets it
 * owns, and one commit holding the data file(s) and the dataset card, in a new repository
 * (private unless the user says otherwise) or an existing one. Runs in the hub worker: the
 * library hashes large files (SHA-256 for LFS) there, off the page's thread.
 */
import { commitIter, createRepo, listDatasets, whoAmI } from '@huggingface/hub';
import type {
  HubAccount,
  HubApi,
  HubLogin,
  HubPushProgress,
  HubPushRequest,
  HubPushResult,
} from '../shared/hub-api';
import type { Outcome } from '../shared/outcome';
import { explainHubError, type HubStep } from './hub-errors';

/** How many of an owner's datasets the picker lists. */
const DATASETS_PER_OWNER = 200;

const base = (hubUrl: string) => hubUrl.replace(/\/+$/, '');

export class HubService implements HubApi {
  private readonly jobs = new Map<string, AbortController>();

  async account({ hubUrl, token }: HubLogin): Promise<Outcome<HubAccount>> {
    const url = base(hubUrl);
    try {
      const me = await whoAmI({ hubUrl: url, accessToken: token });
      const namespaces = [me.name, ...(me.type === 'user' ? me.orgs.map((o) => o.name) : [])];
      const datasets: HubAccount['datasets'] = [];
      for (const owner of namespaces) {
        for await (const d of listDatasets({
          hubUrl: url,
          accessToken: token,
          search: { owner },
          limit: DATASETS_PER_OWNER,
        })) {
          datasets.push({ name: d.name, private: d.private });
        }
      }
      const role = me.auth.accessToken?.role;
      return { ok: true, value: { name: me.name, namespaces, datasets, ...(role && { role }) } };
    } catch (err) {
      return { ok: false, error: explainHubError(err, 'account', { hubUrl: url }) };
    }
  }

  async push(
    jobId: string,
    request: HubPushRequest,
    onProgress: (progress: HubPushProgress) => void,
  ): Promise<Outcome<HubPushResult>> {
    const hubUrl = base(request.hubUrl);
    const controller = new AbortController();
    this.jobs.set(jobId, controller);
    let step: HubStep = 'create';
    try {
      const repo = { type: 'dataset' as const, name: request.repo };
      if (request.create) {
        onProgress({ phase: 'creating' });
        await createRepo({
          hubUrl,
          accessToken: request.token,
          repo,
          private: request.private,
        });
      }
      step = 'commit';
      const sizes = new Map(request.files.map((f) => [f.path, f.blob.size]));
      const total = Math.max(
        1,
        request.files.reduce((sum, f) => sum + f.blob.size, 0),
      );
      const sent = new Map<string, number>();
      const commits = commitIter({
        hubUrl,
        accessToken: request.token,
        repo,
        title: request.title,
        operations: request.files.map((f) => ({
          operation: 'addOrUpdate',
          path: f.path,
          content: f.blob,
        })),
        abortSignal: controller.signal,
      });
      let next = await commits.next();
      while (!next.done) {
        const event = next.value;
        if (event.event === 'phase') {
          onProgress({
            phase:
              event.phase === 'preuploading'
                ? 'preparing'
                : event.phase === 'committing'
                  ? 'committing'
                  : 'uploading',
          });
        } else if (event.state === 'uploading') {
          sent.set(event.path, event.progress * (sizes.get(event.path) ?? 0));
          let done = 0;
          for (const bytes of sent.values()) done += bytes;
          onProgress({ phase: 'uploading', fraction: done / total });
        }
        next = await commits.next();
      }
      const repoUrl = `${hubUrl}/datasets/${request.repo}`;
      const commitUrl = next.value?.commit.url;
      return { ok: true, value: { repoUrl, ...(commitUrl && { commitUrl }) } };
    } catch (err) {
      return { ok: false, error: explainHubError(err, step, { hubUrl, repo: request.repo }) };
    } finally {
      this.jobs.delete(jobId);
    }
  }

  async cancel(jobId: string): Promise<void> {
    this.jobs.get(jobId)?.abort();
  }
}
