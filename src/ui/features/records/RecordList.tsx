import { useState } from 'react';
import { getDb } from '../../../store/db';
import { recentRecords } from '../../../store/records';
import { useDatasetAnswer } from '../../lib/use-dataset-answer';
import { useLiveOf } from '../../lib/use-live-of';

const PAGE = 50;

/**
 * A plain, paged list of the current dataset, newest first. Text from the model is
 * rendered as text (React escapes it), never as HTML.
 */
export function RecordList({ datasetId }: { datasetId: string | undefined }) {
  // The page belongs to the dataset it was turned in: another dataset opens at its newest.
  const [turned, setTurned] = useState({ datasetId, page: 0 });
  const page = turned.datasetId === datasetId ? turned.page : 0;
  const setPage = (next: number) => setTurned({ datasetId, page: next });
  // From the dataset worker's index: a count of the store would walk every record's key
  // again on each write of a run.
  const size = useDatasetAnswer(datasetId, '', (api, id) => api.size(id));
  const count = size?.records ?? 0;
  const records = useLiveOf(datasetId, (id) => recentRecords(getDb(), id, PAGE, page * PAGE), [
    page,
  ]);
  const pages = Math.max(1, Math.ceil(count / PAGE));

  return (
    <section className="card" aria-labelledby="records-h">
      <h2 id="records-h">
        Records{' '}
        <span className="muted" data-testid="record-count">
          {size ? count : '…'}
        </span>
        {size && !size.exact && <span className="muted"> (the dataset is being indexed)</span>}
      </h2>
      {size && count === 0 && (
        <p className="muted">No pairs yet. Connect a model and press Generate.</p>
      )}
      <ol className="records" start={page * PAGE + 1}>
        {records?.map((r) => (
          <li key={r.uuid} className="record">
            <details>
              <summary>
                <span className="instruction">{r.instruction}</span>
                <span className="meta">
                  {r.model} · {r.instruction_length}/{r.response_length} chars
                  {r.finish.response === 'length' && ' · response cut'}
                </span>
              </summary>
              <pre className="response">{r.response}</pre>
            </details>
          </li>
        ))}
      </ol>
      {pages > 1 && (
        <div className="row pager">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Newer
          </button>
          <span>
            Page {page + 1} of {pages}
          </span>
          <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
            Older
          </button>
        </div>
      )}
    </section>
  );
}
