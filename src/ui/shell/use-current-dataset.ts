import { useEffect } from 'react';
import { ensureDataset } from '../../store/datasets';
import { getDb } from '../../store/db';
import { usePersistentState } from '../lib/use-persistent-state';

export const FIRST_DATASET_NAME = 'My first dataset';

/**
 * The dataset runs write into, kept across visits. There is always one: a first visit
 * (or one whose dataset was deleted elsewhere) gets the oldest dataset or a new one.
 */
export function useCurrentDataset(): [string | undefined, (id: string) => void] {
  const [datasetId, setDatasetId] = usePersistentState<string | undefined>(
    'magpie.dataset',
    undefined,
  );
  useEffect(() => {
    let live = true;
    void ensureDataset(getDb(), datasetId, FIRST_DATASET_NAME).then((ds) => {
      if (live && ds.id !== datasetId) setDatasetId(ds.id);
    });
    return () => {
      live = false;
    };
  }, [datasetId, setDatasetId]);
  return [datasetId, setDatasetId];
}
