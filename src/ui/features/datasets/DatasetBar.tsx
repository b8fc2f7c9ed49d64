import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { createDataset, listDatasets } from '../../../store/datasets';
import { getDb } from '../../../store/db';

interface Props {
  datasetId: string | undefined;
  onSelect: (id: string) => void;
}

/** Pick the dataset runs write into, or name a new one. */
export function DatasetBar({ datasetId, onSelect }: Props) {
  const datasets = useLiveQuery(() => listDatasets(getDb()), []);
  const [name, setName] = useState('');

  const create = async () => {
    const ds = await createDataset(getDb(), name || `Dataset ${(datasets?.length ?? 0) + 1}`);
    setName('');
    onSelect(ds.id);
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
            onChange={(e) => onSelect(e.target.value)}
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
      </div>
    </section>
  );
}
