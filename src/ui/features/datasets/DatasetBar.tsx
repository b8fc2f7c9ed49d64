import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { writeViewFilter } from '../../../shared/view-filter-url';
import { createDataset, deleteDataset, listDatasets, renameDataset } from '../../../store/datasets';
import { getDb } from '../../../store/db';
import { setSearchParams } from '../../lib/url-state';

interface Props {
  datasetId: string | undefined;
  onSelect: (id: string) => void;
}

type Editing = { kind: 'rename'; name: string } | { kind: 'delete' } | undefined;

/**
 * Pick the dataset runs write into, name a new one, rename or delete the current one.
 * The explorer's filter in the URL belongs to the dataset it was made in: switching
 * dataset drops it, so another dataset's filter never becomes a view (or an export) here.
 */
export function DatasetBar({ datasetId, onSelect }: Props) {
  const datasets = useLiveQuery(() => listDatasets(getDb()), []);
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<Editing>();
  const [error, setError] = useState<string>();
  const current = datasets?.find((d) => d.id === datasetId);

  const select = (id: string) => {
    if (id !== datasetId) {
      setSearchParams((p) => {
        writeViewFilter(p, {});
        p.delete('open');
      }, 'replace');
      // The explorer and the export read the filter on popstate.
      window.dispatchEvent(new PopStateEvent('popstate'));
    }
    setEditing(undefined);
    onSelect(id);
  };

  const create = async () => {
    const ds = await createDataset(getDb(), name || `Dataset ${(datasets?.length ?? 0) + 1}`);
    setName('');
    select(ds.id);
  };

  const run = (work: () => Promise<void>) => {
    setError(undefined);
    work().then(
      () => setEditing(undefined),
      (e: Error) => setError(`Could not change the dataset: ${e.message}`),
    );
  };

  return (
    <section className="dataset-bar" aria-labelledby="datasets-h">
      <h2 id="datasets-h" className="sr-only">
        Dataset
      </h2>
      <div className="row">
        <label>
          Current dataset
          <select
            value={datasetId ?? ''}
            onChange={(e) => select(e.target.value)}
            disabled={!datasets?.length}
          >
            {!datasets?.length && <option value="">No dataset yet</option>}
            {datasets?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        {current && !editing && (
          <>
            <button
              type="button"
              onClick={() => setEditing({ kind: 'rename', name: current.name })}
            >
              Rename
            </button>
            <button type="button" className="danger" onClick={() => setEditing({ kind: 'delete' })}>
              Delete
            </button>
          </>
        )}
        {current && editing?.kind === 'rename' && (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              run(() => renameDataset(getDb(), current.id, editing.name));
            }}
          >
            <label>
              New name
              <input
                value={editing.name}
                onChange={(e) => setEditing({ kind: 'rename', name: e.target.value })}
                onKeyDown={(e) => e.key === 'Escape' && setEditing(undefined)}
                autoFocus
              />
            </label>
            <button type="submit" className="primary">
              Save name
            </button>
            <button type="button" onClick={() => setEditing(undefined)}>
              Cancel
            </button>
          </form>
        )}
        {current && editing?.kind === 'delete' && (
          <div className="row" role="alertdialog" aria-label="Delete dataset">
            <span>
              Delete “{current.name}” with all its records and runs? This cannot be undone.
            </span>
            <button
              type="button"
              className="danger"
              onClick={() =>
                run(async () => {
                  await deleteDataset(getDb(), current.id);
                  const next = datasets?.find((d) => d.id !== current.id);
                  if (next) select(next.id);
                })
              }
            >
              Delete “{current.name}”
            </button>
            <button type="button" onClick={() => setEditing(undefined)}>
              Keep it
            </button>
          </div>
        )}
        {!editing && (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <label>
              New dataset
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="e.g. qwen-math-v1"
              />
            </label>
            <button type="submit">Create</button>
          </form>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
