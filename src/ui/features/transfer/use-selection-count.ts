/**
 * How many records an export selection holds, answered by the dataset worker from its index
 * (milliseconds at 300,000 records) as the choice changes.
 */
import { useEffect, useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import type { ExportSelection, SelectionCount } from '../../../shared/transfer-api';
import { datasetOutcome } from '../../lib/dataset-worker';

export function useSelectionCount(
  datasetId: string,
  selection: ExportSelection,
  refresh: number,
): { count?: SelectionCount; error?: EngineErrorInfo } {
  const [state, setState] = useState<{
    key: string;
    count?: SelectionCount;
    error?: EngineErrorInfo;
  }>();
  const key = JSON.stringify([datasetId, selection, refresh]);
  useEffect(() => {
    let live = true;
    const [id, sel] = JSON.parse(key) as [string, ExportSelection];
    void datasetOutcome((api) => api.countSelection(id, sel)).then((out) => {
      if (live) setState(out.ok ? { key, count: out.value } : { key, error: out.error });
    });
    return () => {
      live = false;
    };
  }, [key]);
  return state?.key === key ? state : {};
}
