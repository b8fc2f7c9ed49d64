import { useEffect, useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import type { BrowserModels } from './browser-models';
import { ErrorNote } from '../../lib/ErrorNote';
import { callForOutcome } from '../../lib/generation-worker';
import { formatBytes } from './connection';

/** Downloaded browser models with their size on disk, a delete, and the storage quota. */
export function ModelManager({
  catalog,
  onChanged,
}: {
  catalog: BrowserModels | undefined;
  onChanged: () => void;
}) {
  const [quota, setQuota] = useState<{ usage: number; quota: number }>();
  const [error, setError] = useState<EngineErrorInfo>();
  const [deleting, setDeleting] = useState<string>();
  const entries = Object.entries(catalog?.cached ?? {});

  useEffect(() => {
    void navigator.storage
      ?.estimate()
      .then((e) => setQuota({ usage: e.usage ?? 0, quota: e.quota ?? 0 }));
  }, [catalog]);

  const remove = async (id: string) => {
    if (
      !confirm(
        `Delete the downloaded files of ${id}? It will be downloaded again when next loaded.`,
      )
    )
      return;
    setDeleting(id);
    // WebLLM deletes its own files: the generation worker starts and loads it for that.
    const res = await callForOutcome((api) => api.deleteBrowserModel(id));
    setDeleting(undefined);
    setError(res.ok ? undefined : res.error);
    onChanged();
  };

  return (
    <details className="model-manager">
      <summary>
        Downloaded models ({entries.length})
        {quota &&
          ` · storage used ${formatBytes(quota.usage)} of ${formatBytes(quota.quota)}, ${formatBytes(Math.max(0, quota.quota - quota.usage))} left`}
      </summary>
      {entries.length === 0 && <p className="muted">No model downloaded yet.</p>}
      <ul>
        {entries.map(([id, c]) => (
          <li key={id} data-testid="downloaded-model">
            <code>{id}</code> · {formatBytes(c.bytes)}
            {!c.complete && ' · partly downloaded'}{' '}
            <button type="button" disabled={!!deleting} onClick={() => void remove(id)}>
              {deleting === id ? 'Deleting…' : 'Delete'}
            </button>
          </li>
        ))}
      </ul>
      <ErrorNote error={error} />
    </details>
  );
}
