/**
 * The transfer worker's API: export, import, and cancelling any of them by job id
 * (an AbortSignal cannot cross the worker boundary). Failures come back as plain messages
 * with what to do, never as a rejected promise the page would have to decode.
 */
import type { EngineErrorInfo } from '../shared/engine';
import {
  IMPORT_LOCK_PREFIX,
  type ExportProgress,
  type ExportRequest,
  type ExportResult,
  type ExportTarget,
  type ImportProgress,
  type ImportReport,
  type ImportRequest,
  type SniffResult,
  type TransferApi,
} from '../shared/transfer-api';
import { outcome, type Outcome } from '../shared/outcome';
import { getDb, type MagpieDB } from '../store/db';
import { sniffFile } from './detect';
import { exportDataset } from './export-job';
import { openSink } from './export-sink';
import { importFile } from './import-job';
import { discardImport } from './import-store';
import { tagPool } from './tag-pool';

function explain(err: unknown, doing: 'export' | 'import' | 'read'): EngineErrorInfo {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'QuotaExceededError') {
    return {
      code: 'storage-full',
      message: 'The browser’s storage is full.',
      hint:
        doing === 'import'
          ? 'Nothing was imported. Free space (delete a dataset or a downloaded model) and import again.'
          : 'Free space on the disk, then try again.',
    };
  }
  if (name === 'NotAllowedError') {
    return {
      code: 'unknown',
      message: 'The browser did not allow writing that file.',
      hint: 'Export again and allow saving when the browser asks, or pick another folder.',
    };
  }
  if (name === 'NotReadableError' || name === 'NotFoundError') {
    return {
      code: 'unknown',
      message: 'The file could not be read (moved, deleted or changed while reading).',
      hint: 'Pick the file again. Nothing was imported.',
    };
  }
  return {
    code: 'unknown',
    message: message || `The ${doing} failed.`,
    hint:
      doing === 'import'
        ? 'Nothing was imported; the dataset is as it was. Check the file and try again.'
        : 'Try again; if it keeps failing, the browser console has details.',
  };
}

function explained<T>(doing: 'export' | 'import' | 'read', run: () => Promise<T>) {
  return outcome(run, (err) => explain(err, doing));
}

/** Runs `job` while holding a Web Lock, where the environment has them. */
async function withLock<T>(name: string, job: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? await locks.request(name, job) : await job();
}

export class TransferService implements TransferApi {
  private readonly jobs = new Map<string, AbortController>();

  constructor(private readonly db: MagpieDB = getDb()) {}

  private async job<T>(jobId: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.jobs.get(jobId)?.abort();
    this.jobs.set(jobId, controller);
    try {
      return await run(controller.signal);
    } finally {
      if (this.jobs.get(jobId) === controller) this.jobs.delete(jobId);
    }
  }

  async exportDataset(
    jobId: string,
    request: ExportRequest,
    target: ExportTarget,
    onProgress: (progress: ExportProgress) => void,
  ): Promise<Outcome<ExportResult>> {
    return explained('export', () =>
      this.job(jobId, async (signal) => {
        const sink = await openSink(target);
        try {
          return await exportDataset(this.db, request, sink, { signal, onProgress });
        } catch (err) {
          await sink.abort().catch(() => undefined);
          throw err;
        }
      }),
    );
  }

  async sniff(file: File): Promise<Outcome<SniffResult>> {
    return explained('read', () => sniffFile(file));
  }

  async importFile(
    jobId: string,
    request: ImportRequest,
    onProgress: (progress: ImportProgress) => void,
  ): Promise<Outcome<ImportReport>> {
    return explained('import', () =>
      this.job(jobId, (signal) =>
        withLock(IMPORT_LOCK_PREFIX + jobId, async () => {
          const tagger = tagPool();
          try {
            return await importFile(this.db, request, {
              importId: jobId,
              signal,
              onProgress,
              tagger,
            });
          } finally {
            tagger.close();
          }
        }),
      ),
    );
  }

  async cancel(jobId: string): Promise<void> {
    this.jobs.get(jobId)?.abort();
  }

  async discardImport(importId: string): Promise<Outcome<number>> {
    return explained('import', () => discardImport(this.db, importId));
  }
}
