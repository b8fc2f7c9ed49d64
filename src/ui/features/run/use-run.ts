import { useCallback, useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import type { LivePair, RunEvent, RunProgress, RunStatus } from '../../../shared/run';
import { pairsStored } from '../../lib/dataset-worker';
import { callWorker, proxy } from '../../lib/generation-worker';

export interface RunView {
  activeRunId: string | undefined;
  progress: RunProgress | undefined;
  /** The speed figures of this run's progress events, for the live charts (bounded). */
  history: SpeedPoint[];
  /** When the run was started (or resumed) here: the live charts cover what came since. */
  startedAt: number | undefined;
  live: LivePair | undefined;
  /** How the last run here ended, and which run it was (to resume it from the error). */
  ended: { runId: string; status: RunStatus; error?: EngineErrorInfo } | undefined;
  start: (run: { id: string; datasetId: string }) => Promise<void>;
  stop: () => void;
}

export interface SpeedPoint {
  elapsedS: number;
  pairsPerMin: number;
  tokensPerS: number;
}

/** Enough points for a small chart; older halves are thinned rather than dropped. */
const MAX_POINTS = 240;

function appendPoint(points: SpeedPoint[], p: RunProgress): SpeedPoint[] {
  const next = [
    ...points,
    { elapsedS: p.elapsedS, pairsPerMin: p.pairsPerMin, tokensPerS: p.tokensPerS },
  ];
  return next.length > MAX_POINTS
    ? next.filter((_, i) => i % 2 === 0 || i === next.length - 1)
    : next;
}

/**
 * Drives one run in the generation worker and holds what the live view shows; tells the
 * dataset worker as pairs are stored (near-duplicates are found while the run goes).
 */
export function useRun(onSettled: () => void): RunView {
  const [activeRunId, setActive] = useState<string>();
  const [progress, setProgress] = useState<RunProgress>();
  const [history, setHistory] = useState<SpeedPoint[]>([]);
  const [startedAt, setStartedAt] = useState<number>();
  const [live, setLive] = useState<LivePair>();
  const [ended, setEnded] = useState<RunView['ended']>();

  const start = useCallback(
    async ({ id: runId, datasetId }: { id: string; datasetId: string }) => {
      setActive(runId);
      // Starts the dataset worker before pairs arrive, and checks what is stored already.
      pairsStored(datasetId);
      setEnded(undefined);
      setLive(undefined);
      setProgress(undefined);
      setHistory([]);
      setStartedAt(Date.now());
      const onEvent = (event: RunEvent) => {
        if (event.type === 'progress') {
          setProgress(event.progress);
          setHistory((h) => appendPoint(h, event.progress));
          pairsStored(datasetId);
        } else if (event.type === 'live') setLive(event.live);
        else if (event.type === 'ended') {
          setEnded({ runId, status: event.status, error: event.error });
          pairsStored(datasetId);
        }
      };
      try {
        await callWorker((api) => api.run(runId, proxy(onEvent)));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        setEnded({
          runId,
          status: 'interrupted',
          error: {
            code: 'unknown',
            message,
            hint: 'Every finished pair is kept. Connect the model again and press Resume.',
          },
        });
      } finally {
        setActive(undefined);
        onSettled();
      }
    },
    [onSettled],
  );

  const stop = useCallback(() => void callWorker((api) => api.stop()), []);

  return { activeRunId, progress, history, startedAt, live, ended, start, stop };
}
