/**
 * The dataset's quality counts, answered by the dataset worker from its index (never a
 * scan of the records, never on the page). Asked again when the worker says the dataset
 * changed (pairs arriving, an import, tags, reviews) and whenever a quality job asks.
 */
import { useCallback, useEffect, useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import type { QualitySummary } from '../../../shared/quality';
import { datasetOutcome, watchDataset } from '../../lib/dataset-worker';

export interface SummaryView {
  summary: QualitySummary | undefined;
  error: EngineErrorInfo | undefined;
  refresh: () => void;
}

export function useQualitySummary(datasetId: string): SummaryView {
  const [version, setVersion] = useState(0);
  const [tick, setTick] = useState(0);
  const [summary, setSummary] = useState<QualitySummary>();
  const [error, setError] = useState<EngineErrorInfo>();

  useEffect(() => watchDataset(datasetId, (change) => setVersion(change.version)), [datasetId]);

  useEffect(() => {
    let live = true;
    // Pairs arrive in bursts during generation: wait for a pause before asking again.
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
  }, [datasetId, version, tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { summary, error, refresh };
}
