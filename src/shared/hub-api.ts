/**
 * What the hub worker (pushes to the Hugging Face Hub) offers the page, over Comlink. The
 * token crosses to the worker with each call and is kept nowhere: not in storage, not in a
 * log, not in the worker between calls.
 */
import type { Outcome } from './outcome';

/** Where pushes go unless the user names another Hub (a mirror, an enterprise Hub). */
export const DEFAULT_HUB_URL = 'https://huggingface.co';

export interface HubLogin {
  hubUrl: string;
  token: string;
}

/** Who a token belongs to, where it may create repositories, and the datasets it has there. */
export interface HubAccount {
  name: string;
  /** The user first, then their organisations: owners a new repository may have. */
  namespaces: string[];
  /** 'read' tokens cannot push; said before anything is sent. */
  role?: string;
  datasets: { name: string; private: boolean }[];
}

export interface HubFile {
  path: string;
  blob: Blob;
}

export interface HubPushRequest extends HubLogin {
  /** `owner/name`. */
  repo: string;
  /** Create the repository first (fails when the name is taken), or add to an existing one. */
  create: boolean;
  /** For a new repository. */
  private: boolean;
  files: HubFile[];
  title: string;
}

export interface HubPushProgress {
  phase: 'creating' | 'preparing' | 'uploading' | 'committing';
  /** 0..1 across the files being uploaded, in the uploading phase. */
  fraction?: number;
}

export interface HubPushResult {
  repoUrl: string;
  commitUrl?: string;
}

export interface HubApi {
  account(login: HubLogin): Promise<Outcome<HubAccount>>;
  push(
    jobId: string,
    request: HubPushRequest,
    onProgress: (progress: HubPushProgress) => void,
  ): Promise<Outcome<HubPushResult>>;
  cancel(jobId: string): Promise<void>;
}
