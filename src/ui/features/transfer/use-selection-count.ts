/** How many records an export selection holds, counted in the worker as the choice changes. */
import { useEffect, useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import type { ExportSelection, SelectionCount } from '../../../shared/transfer-api';
import { callTransfer } from './transfer-client';

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
    void callTransfer((api) => api.countSelection(id, sel)).then((out) => {
      if (live) setState(out.ok ? { key, count: out.value } : { key, error: out.error });
    });
    return () => {
      live = false;
    };
  }, [key]);
  return state?.key === key ? state : {};
}
