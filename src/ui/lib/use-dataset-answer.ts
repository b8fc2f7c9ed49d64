/**
 * A question to the dataset worker kept answered: asked when the view mounts and again
 * whenever the worker says the dataset changed, one question at a time (a change while one
 * is asked asks once more after it). The answer is tagged with what it was asked for, so a
 * view never shows another dataset's (or run's) answer while its own is on the way.
 */
import type * as Comlink from 'comlink';
import { useEffect, useState } from 'react';
import type { DatasetApi } from '../../shared/dataset-api';
import type { Outcome } from '../../shared/outcome';
import { datasetOutcome, watchDataset } from './dataset-worker';

export function useDatasetAnswer<T>(
  datasetId: string | undefined,
  /** What else the question depends on (a run), as one string; undefined: ask nothing. */
  key: string | undefined,
  ask: (api: Comlink.Remote<DatasetApi>, datasetId: string) => Promise<Outcome<T>>,
): T | undefined {
  const tag = `${datasetId}|${key}`;
  const [answer, setAnswer] = useState<{ tag: string; value: T }>();

  useEffect(() => {
    if (datasetId === undefined || key === undefined) return;
    let gone = false;
    let asking = false;
    let again = false;
    const askNow = async () => {
      if (asking) {
        again = true;
        return;
      }
      asking = true;
      do {
        again = false;
        const out = await datasetOutcome((api) => ask(api, datasetId));
        // A failed answer keeps the last one shown; the next change asks again.
        if (!gone && out.ok) setAnswer({ tag, value: out.value });
      } while (again && !gone);
      asking = false;
    };
    const stop = watchDataset(datasetId, () => void askNow());
    void askNow();
    return () => {
      gone = true;
      stop();
    };
    // `ask` is the caller's inline function: what it depends on is in the key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [datasetId, key, tag]);

  return answer?.tag === tag ? answer.value : undefined;
}
