/**
 * Acting on every record the view shows: keep or reject at once (with undo: the worker
 * remembers each record's previous status), delete after a confirmation that states the
 * count. Progress shows as the worker goes through the records in chunks.
 */
import { useState } from 'react';
import type { BulkProgress, ViewResult } from '../../../shared/explorer-api';
import type { ReviewStatus } from '../../../shared/record';
import { callDataset, proxy } from '../../lib/dataset-worker';

interface Props {
  result: ViewResult;
  onDone: () => void;
}

export function BulkBar({ result, onDone }: Props) {
  const [progress, setProgress] = useState<BulkProgress & { what: string }>();
  const [undo, setUndo] = useState<{ token: number; text: string }>();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const n = result.total;
  const busy = progress !== undefined;

  const track = (what: string) => proxy((p: BulkProgress) => setProgress({ ...p, what }));
  const run = async (what: string, work: () => Promise<void>) => {
    setError(undefined);
    setProgress({ done: 0, total: n, what });
    try {
      await work();
    } catch (e) {
      setError(`${(e as Error).message} What was done before this stays done.`);
    } finally {
      setProgress(undefined);
      onDone();
    }
  };
  const review = (status: ReviewStatus, verb: string) =>
    run(verb, async () => {
      const out = await callDataset((api) => api.bulkReview(result.queryId, status, track(verb)));
      setUndo({ token: out.undoToken, text: `${verb} ${out.changed.toLocaleString()} records.` });
    });

  return (
    <div className="xp-bulk row" aria-label="Act on the view">
      <span>
        All <strong>{n.toLocaleString()}</strong> records in view:
      </span>
      <button
        type="button"
        disabled={busy || !n || !!result.indexing}
        onClick={() => void review('kept', 'Kept')}
      >
        Keep all
      </button>
      <button
        type="button"
        disabled={busy || !n || !!result.indexing}
        onClick={() => void review('rejected', 'Rejected')}
      >
        Reject all
      </button>
      <button
        type="button"
        className="danger"
        disabled={busy || !n || !!result.indexing}
        onClick={() => setConfirming(true)}
      >
        Delete all…
      </button>
      {result.indexing && (
        <span className="muted">Bulk actions wait until the dataset is fully read.</span>
      )}
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label="Confirm delete">
          <span>
            Delete {n.toLocaleString()} records? This cannot be undone (export them first to keep a
            copy).
          </span>
          <button
            type="button"
            className="danger"
            autoFocus
            onClick={() => {
              setConfirming(false);
              setUndo(undefined);
              void run('Deleting', async () => {
                await callDataset((api) => api.bulkDelete(result.queryId, track('Deleting')));
              });
            }}
          >
            Delete {n.toLocaleString()} records
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {progress && (
        <label className="grow">
          {progress.what}: {progress.done.toLocaleString()} of {progress.total.toLocaleString()}
          <progress value={progress.done} max={Math.max(1, progress.total)} />
        </label>
      )}
      {undo && !busy && (
        <span role="status">
          {undo.text}{' '}
          <button
            type="button"
            onClick={() => {
              const token = undo.token;
              setUndo(undefined);
              void run('Undoing', async () => {
                await callDataset((api) => api.undoBulkReview(token, track('Undoing')));
              });
            }}
          >
            Undo
          </button>
        </span>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
