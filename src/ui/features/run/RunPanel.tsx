import { useLiveQuery } from 'dexie-react-hooks';
import { lazy, Suspense } from 'react';
import type { EngineErrorInfo, EngineFallback } from '../../../shared/engine';
import type { DropCounts } from '../../../shared/run';
import { getDb } from '../../../store/db';
import { recentRecords } from '../../../store/records';
import { getRun } from '../../../store/runs';
import { RunTallyView } from '../method/RunTallyView';
import { ErrorNote } from '../../lib/ErrorNote';
import { useLiveOf } from '../../lib/use-live-of';
import type { RunView } from './use-run';

// The charts (and the chart module) load with the first run's progress, not with the page.
const RunCharts = lazy(() => import('./RunCharts').then((m) => ({ default: m.RunCharts })));

interface Props {
  datasetId: string | undefined;
  run: RunView;
  canGenerate: string | true;
  onGenerate: () => void;
  /**
   * Takes up the offer a failed run's error carries (the CPU after a lost GPU): connects the
   * model again with its changes and resumes the run. Absent when nothing is connected to
   * apply it to.
   */
  onFallback?: (fallback: EngineFallback, runId: string) => void;
  /** Set while the fallback connects: what it is doing, or why it failed. */
  fallbackState?: { loading: boolean; error?: EngineErrorInfo };
}

const STATUS_WORDS = {
  done: 'Run finished: the target is reached.',
  stopped: 'Run stopped. Every finished pair is kept; press Resume to go on.',
  failed: 'Run stopped on an error. Every finished pair is kept.',
  interrupted: 'Run interrupted. Every finished pair is kept.',
  running: 'Running…',
} as const;

/** Generate / Stop, and what the run is doing right now. */
export function RunPanel({
  datasetId,
  run,
  canGenerate,
  onGenerate,
  onFallback,
  fallbackState,
}: Props) {
  const { progress, live, ended, activeRunId } = run;
  const last = useLiveOf(datasetId, (id) => recentRecords(getDb(), id, 3));
  // The labels of the run's system prompts and languages, for the live counts.
  const shownRunId = progress?.runId;
  const shownRun = useLiveQuery(
    () => (shownRunId ? getRun(getDb(), shownRunId) : undefined),
    [shownRunId],
  );
  const pct = progress ? Math.min(100, (progress.made / Math.max(1, progress.target)) * 100) : 0;

  return (
    <section className="card live" aria-labelledby="run-h">
      <h2 id="run-h">Generate</h2>
      <div className="row">
        {activeRunId ? (
          <button type="button" className="danger" onClick={run.stop}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={canGenerate !== true}
            onClick={onGenerate}
          >
            Generate
          </button>
        )}
        {canGenerate !== true && !activeRunId && <span className="muted">{canGenerate}</span>}
      </div>

      {progress && (
        <div className="progress" aria-label="Run progress">
          <progress max={progress.target} value={progress.made} />
          <dl className="figures">
            <Figure name="Pairs" value={`${progress.made} / ${progress.target}`} testId="made" />
            <Figure name="Tokens/s" value={progress.tokensPerS.toFixed(1)} />
            <Figure name="Pairs/min" value={progress.pairsPerMin.toFixed(1)} />
            <Figure name="ETA" value={formatEta(progress.etaS)} />
            <Figure name="Elapsed" value={formatEta(progress.elapsedS)} />
            <Figure name="Done" value={`${pct.toFixed(0)}%`} />
            {progress.requestsInFlight !== undefined && (
              <Figure
                name="Requests in flight"
                value={`${progress.requestsInFlight}${progress.samplesWaiting ? ` (+${progress.samplesWaiting} samples waiting)` : ''}`}
                testId="requests-in-flight"
              />
            )}
            {progress.samplesPerS !== undefined && (
              <Figure
                name="Samples/s"
                value={progress.samplesPerS.toFixed(1)}
                testId="samples-per-s"
              />
            )}
            <Figure
              name="Tokens per kept"
              value={progress.tokensPerKept === undefined ? '—' : progress.tokensPerKept.toFixed(0)}
              testId="tokens-per-kept"
            />
            {progress.decodeTokensPerS !== undefined && (
              <Figure name="Decode tok/s" value={progress.decodeTokensPerS.toFixed(1)} />
            )}
            {progress.timeToFirstTokenMs !== undefined && (
              <Figure name="First token" value={`${Math.round(progress.timeToFirstTokenMs)} ms`} />
            )}
          </dl>
          <Suspense fallback={null}>
            <RunCharts
              datasetId={datasetId}
              runId={progress.runId}
              startedAt={run.startedAt}
              history={run.history}
              dropped={progress.dropped}
            />
          </Suspense>
          <Dropped dropped={progress.dropped} laterTurnDrops={progress.laterTurnDrops} />
          {progress.tally && shownRun && (
            <RunTallyView tally={progress.tally} settings={shownRun.settings} />
          )}
        </div>
      )}

      {ended && (
        <div className={`ended ${ended.status}`} role="status">
          <p data-testid="run-status">{STATUS_WORDS[ended.status]}</p>
          <ErrorNote error={ended.error} />
          {ended.error?.fallback && onFallback && !activeRunId && (
            <p className="row">
              <button
                type="button"
                className="primary"
                disabled={fallbackState?.loading}
                onClick={() => onFallback(ended.error!.fallback!, ended.runId)}
              >
                {ended.error.fallback.action}
              </button>
            </p>
          )}
          {fallbackState?.loading && <p className="muted">Loading the model again…</p>}
          <ErrorNote error={fallbackState?.error} />
        </div>
      )}

      {activeRunId && live && (
        <div className="live-pair" aria-label="Pair being written">
          <h3>
            Writing now ({live.step === 'judge' ? 'judging' : live.step}
            {live.turn ? ` ${live.step === 'instruction' ? 'turn' : '#'}${live.turn}` : ''})
          </h3>
          <p className="instruction">{live.instruction}</p>
          {live.step !== 'instruction' && <p className="response">{live.response}</p>}
        </div>
      )}

      {!!last?.length && (
        <div className="last-pairs">
          <h3>Last finished</h3>
          <ol>
            {last.map((r) => (
              <li key={r.uuid}>
                <span className="instruction">{r.instruction}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}

function Figure({ name, value, testId }: { name: string; value: string; testId?: string }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** The drops' total (the chart shows them by reason) and what multi-turn runs drop whole. */
function Dropped({ dropped, laterTurnDrops }: { dropped: DropCounts; laterTurnDrops?: number }) {
  const total = Object.values(dropped).reduce((s, n) => s + (n ?? 0), 0);
  return (
    <p className="muted" data-testid="dropped">
      Dropped: {total}
      {!!laterTurnDrops &&
        ` (of these, whole conversations dropped at turn 2 or later: ${laterTurnDrops})`}
    </p>
  );
}

export function formatEta(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '—';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
