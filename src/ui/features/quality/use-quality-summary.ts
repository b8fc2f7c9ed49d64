/**
 * The dataset's quality counts, computed by the dataset worker (a scan of every record,
 * never on the page). Refreshed when the record count changes (pairs arriving, an import)
 * and whenever a quality job tells it to.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import type { QualitySummary } from '../../../shared/quality';
import { getDb } from '../../../store/db';
import { countRecords } from '../../../store/records';
import { datasetOutcome } from '../../lib/dataset-worker';

export interface SummaryView {
  summary: QualitySummary | undefined;
  error: EngineErrorInfo | undefined;
  refresh: () => void;
}

export function useQualitySummary(datasetId: string): SummaryView {
  const count = useLiveQuery(() => countRecords(getDb(), datasetId), [datasetId]);
  const [tick, setTick] = useState(0);
  const [summary, setSummary] = useState<QualitySummary>();
  const [error, setError] = useState<EngineErrorInfo>();

  useEffect(() => {
    let live = true;
    // Pairs arrive in bursts during generation: wait for a pause before rescanning.
    const timer = setTimeout(() => {
      void datasetOutcome((api) => api.summary(datasetId)).then((out) => {
        if (!live) return;
        if (out.ok) {
          setSummary(out.value);
          setError(undefined);
        } else setError(out.error);
      });
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [datasetId, count, tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { summary, error, refresh };
}
