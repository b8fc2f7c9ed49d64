import { useEffect, useState } from 'react';
import type { RunMixCounts } from '../../../shared/explorer-api';
import { callDataset, datasetOutcome, proxy } from '../../lib/dataset-worker';

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
  // Tagged with the run it counts, so another run never shows this one's mix.
  const key = `${runId}@${startedAt}`;
  const [counted, setCounted] = useState<{ key: string; mix: RunMix }>();

  useEffect(() => {
    if (!datasetId || !runId || startedAt === undefined) return;
    let gone = false;
    let watchId: number | undefined;
    let asking = false;
    let again = false;
    const ask = async () => {
      if (asking) {
        again = true;
        return;
      }
      asking = true;
      do {
        again = false;
        const out = await datasetOutcome((api) => api.runMix(datasetId, runId, startedAt));
        // A failed answer keeps the last mix shown; the next change asks again.
        if (!gone && out.ok) setCounted({ key, mix: asMix(out.value) });
      } while (again && !gone);
      asking = false;
    };
    void callDataset((api) =>
      api.watch(
        datasetId,
        proxy(() => void ask()),
      ),
    ).then((id) => {
      if (gone) void callDataset((api) => api.unwatch(id));
      else watchId = id;
    });
    void ask();
    return () => {
      gone = true;
      if (watchId !== undefined) void callDataset((api) => api.unwatch(watchId!));
    };
  }, [datasetId, runId, startedAt, key]);

  return counted?.key === key ? counted.mix : EMPTY;
}

const EMPTY: RunMix = { language: new Map(), category: new Map() };

function asMix(counts: RunMixCounts): RunMix {
  return { language: new Map(counts.language), category: new Map(counts.category) };
}
