import { useMemo } from 'react';
import type { RunMixCounts } from '../../../shared/explorer-api';
import { useDatasetAnswer } from '../../lib/use-dataset-answer';

export interface RunMix {
  language: Map<string, number>;
  category: Map<string, number>;
}

/**
 * The language and category mix of the pairs a run stored since it started here, kept up to
 * date as pairs arrive and as the judge tags them. The dataset worker answers from its index
 * (which reads only the records and derived rows changed since its last read); the page asks
 * again when the worker says the dataset changed, one question at a time.
 */
export function useRunMix(
  datasetId: string | undefined,
  runId: string | undefined,
  startedAt: number | undefined,
): RunMix {
  const counts = useDatasetAnswer(
    datasetId,
    runId === undefined || startedAt === undefined ? undefined : `${runId}@${startedAt}`,
    (api, id) => api.runMix(id, runId!, startedAt!),
  );
  return useMemo(() => (counts ? asMix(counts) : EMPTY), [counts]);
}

const EMPTY: RunMix = { language: new Map(), category: new Map() };

function asMix(counts: RunMixCounts): RunMix {
  return { language: new Map(counts.language), category: new Map(counts.category) };
}
