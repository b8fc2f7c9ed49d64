import { useMemo, useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import type { ReviewStatus } from '../../../shared/record';
import {
  REVIEW_STATUSES,
  type ExportOptions,
  type ExportProgress,
  type ExportResult,
  type ExportSelection,
  type ExportTarget,
  type SelectionCount,
} from '../../../shared/transfer-api';
import type { HubPushProgress, HubPushResult } from '../../../shared/hub-api';
import { ErrorNote } from '../../lib/ErrorNote';
import { callHub, cancelHub } from '../hub/hub-client';
import { HUB_PHASE_WORDS, HubPushResultView } from '../hub/HubPushResult';
import { HubTargetForm, type HubTarget } from '../hub/HubTargetForm';
import { usePersistentState } from '../../lib/use-persistent-state';
import { formatBytes } from '../model/connection';
import { ExportChoices, type Scope } from './ExportChoices';
import { ExportResultView } from './ExportResultView';
import { ProgressLine } from './ProgressLine';
import { download, pickSaveFile } from './save-file';
import { callTransfer, cancelTransfer, proxy } from './transfer-client';
import { useSelectionCount } from './use-selection-count';
import { useViewFilter } from './view-filter';

const DEFAULT_OPTIONS: ExportOptions = {
  format: 'sharegpt',
  tags: false,
  genConfig: false,
  systemPrompt: false,
  text: 'edited',
};

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'dataset';

function countWords(count: SelectionCount, alpaca: boolean, byStatus: boolean): string {
  let words = `${count.matching} of ${count.total} records match.`;
  if (alpaca && count.multiTurn)
    words += ` ${count.multiTurn} of them are multi-turn and cannot be written as Alpaca.`;
  if (!count.matching && count.total && byStatus)
    words += ' Keep records in the explorer, or tick more review statuses.';
  return words;
}

/**
 * Export the current view, records by review status (kept only by default) or the whole
 * dataset as JSONL. Where the browser can, the worker streams straight into the file the
 * user picked; elsewhere it builds a Blob the page then downloads.
 */
export function ExportPanel({
  datasetId,
  datasetName,
  refresh: outside,
}: {
  datasetId: string;
  datasetName: string;
  /** Changes when records arrived from elsewhere (an import). */
  refresh: number;
}) {
  const view = useViewFilter();
  const [stored, setOptions] = usePersistentState('magpie.export.options', DEFAULT_OPTIONS);
  // Choices saved by an earlier version may lack newer fields.
  const options = { ...DEFAULT_OPTIONS, ...stored };
  const [scope, setScope] = useState<Scope>(view ? 'view' : 'review');
  const [reviews, setReviews] = useState<ReviewStatus[]>(() => {
    const fromView = REVIEW_STATUSES.filter((s) => view?.facets?.review?.includes(s));
    return fromView.length ? fromView : ['kept'];
  });
  const [job, setJob] = useState<{ id: string; progress?: ExportProgress }>();
  const [result, setResult] = useState<ExportResult & { fileName: string }>();
  const [error, setError] = useState<EngineErrorInfo>();
  const [refresh, setRefresh] = useState(0);
  const [destination, setDestination] = useState<'file' | 'hub'>('file');
  const [hubTarget, setHubTarget] = useState<HubTarget>();
  const [push, setPush] = useState<{ id: string; progress?: HubPushProgress }>();
  const [pushed, setPushed] = useState<{ result: HubPushResult; repo: string; rows: number }>();

  const selection = useMemo<ExportSelection>(() => {
    if (scope === 'all') return { scope, filter: {} };
    const base = scope === 'view' ? (view ?? {}) : {};
    return { scope, filter: { ...base, facets: { ...base.facets, review: reviews } } };
  }, [scope, view, reviews]);
  const { count, error: countError } = useSelectionCount(datasetId, selection, refresh + outside);
  const noStatus = scope !== 'all' && reviews.length === 0;

  const fileName = () =>
    `${slug(datasetName)}-${options.format}${FILE_TYPES[options.file ?? 'jsonl'].extension}`;

  /** Runs the export job with the progress bar up while it goes. */
  const runExport = async (id: string, name: string, target: ExportTarget) => {
    setJob({ id });
    const out = await callTransfer((api) =>
      api.exportDataset(
        id,
        { datasetId, selection, options, fileName: name },
        target,
        // Progress comes over its own port and may arrive after the answer: a late report
        // must not bring back the progress bar of a job that has ended.
        proxy((progress: ExportProgress) =>
          setJob((current) => (current?.id === id ? { id, progress } : current)),
        ),
      ),
    );
    setJob(undefined);
    return out;
  };

  /** Exports into a Blob, then commits it with its card to the Hub in one commit. */
  const pushToHub = async (target: HubTarget) => {
    setError(undefined);
    setPushed(undefined);
    const name = fileName();
    const id = crypto.randomUUID();
    const out = await runExport(id, name, { kind: 'blob' });
    if (!out.ok) return setError(out.error);
    const { blob, card, rows, cancelled } = out.value;
    if (cancelled || !blob) return;
    setPush({ id });
    const sent = await callHub((api) =>
      api.push(
        id,
        {
          ...target.login,
          repo: target.repo,
          create: target.create,
          private: target.private,
          title: `Add ${name} (${rows} rows) from Magpie Studio`,
          files: [
            { path: name, blob },
            { path: 'README.md', blob: new Blob([card], { type: 'text/markdown' }) },
          ],
        },
        proxy((progress: HubPushProgress) =>
          setPush((current) => (current?.id === id ? { id, progress } : current)),
        ),
      ),
    );
    setPush(undefined);
    if (!sent.ok) return sent.error.code === 'aborted' ? undefined : setError(sent.error);
    setPushed({ result: sent.value, repo: target.repo, rows });
  };

  const start = async () => {
    setError(undefined);
    setResult(undefined);
    const file = FILE_TYPES[options.file ?? 'jsonl'];
    let picked: Awaited<ReturnType<typeof pickSaveFile>>;
    try {
      picked = await pickSaveFile(fileName(), file);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setError({
        code: 'unknown',
        message: `The save dialog failed: ${message}`,
        hint: 'Try again, and pick a folder the browser may write to.',
      });
      return;
    }
    if (picked === 'cancelled') return;
    const target: ExportTarget = picked ? { kind: 'file', handle: picked } : { kind: 'blob' };
    const name = picked ? picked.name : fileName();
    const out = await runExport(crypto.randomUUID(), name, target);
    setRefresh((n) => n + 1);
    if (!out.ok) return setError(out.error);
    if (out.value.blob) download(out.value.blob, name);
    setResult({ ...out.value, fileName: name });
  };

  const p = job?.progress;
  const busy = !!job || !!push;
  const hubPhase = push?.progress?.phase;
  return (
    <section className="card" aria-labelledby="export-h">
      <h2 id="export-h">Export</h2>
      <ExportChoices
        hasView={!!view}
        scope={scope}
        onScope={setScope}
        reviews={reviews}
        onReviews={setReviews}
        options={options}
        onOptions={setOptions}
        disabled={busy}
      />
      <fieldset disabled={busy} className="row" aria-label="Send to">
        <label className="check">
          <input
            type="radio"
            name="export-destination"
            checked={destination === 'file'}
            onChange={() => setDestination('file')}
          />
          A file on this computer
        </label>
        <label className="check">
          <input
            type="radio"
            name="export-destination"
            checked={destination === 'hub'}
            onChange={() => setDestination('hub')}
          />
          The Hugging Face Hub
        </label>
      </fieldset>
      {destination === 'hub' && (
        <HubTargetForm suggestedName={slug(datasetName)} disabled={busy} onTarget={setHubTarget} />
      )}
      <p className="muted" data-testid="export-count">
        {noStatus
          ? 'Pick at least one review status.'
          : count
            ? countWords(count, options.format === 'alpaca', scope !== 'all')
            : 'Counting…'}
      </p>
      <ErrorNote error={countError} />
      {job ? (
        <ProgressLine
          label="Export progress"
          value={p?.read ?? 0}
          max={p?.total ?? 1}
          detail={
            p
              ? `${p.written} rows written, ${formatBytes(p.bytes)}; ${p.read} of ${p.total} records read`
              : 'Starting…'
          }
          onCancel={() => cancelTransfer(job.id)}
        />
      ) : push ? (
        <ProgressLine
          label="Push progress"
          value={
            hubPhase === 'uploading'
              ? (push.progress?.fraction ?? 0)
              : hubPhase === 'committing'
                ? 1
                : 0
          }
          max={1}
          detail={
            hubPhase === 'uploading'
              ? `${HUB_PHASE_WORDS.uploading} ${Math.round((push.progress?.fraction ?? 0) * 100)}%`
              : HUB_PHASE_WORDS[hubPhase ?? 'preparing']
          }
          onCancel={hubPhase === 'committing' ? undefined : () => cancelHub(push.id)}
        />
      ) : destination === 'hub' ? (
        <button
          type="button"
          className="primary"
          disabled={noStatus || count?.matching === 0 || !hubTarget}
          onClick={() => hubTarget && void pushToHub(hubTarget)}
        >
          Push to the Hub
        </button>
      ) : (
        <button
          type="button"
          className="primary"
          disabled={noStatus || count?.matching === 0}
          onClick={() => void start()}
        >
          Export {FILE_TYPES[options.file ?? 'jsonl'].button}
        </button>
      )}
      <ErrorNote error={error} />
      {destination === 'file' && result && <ExportResultView result={result} />}
      {destination === 'hub' && pushed && <HubPushResultView {...pushed} />}
    </section>
  );
}

const FILE_TYPES = {
  jsonl: {
    description: 'JSON Lines',
    mime: 'application/jsonl',
    extension: '.jsonl',
    button: 'JSONL',
  },
  parquet: {
    description: 'Parquet',
    mime: 'application/vnd.apache.parquet',
    extension: '.parquet',
    button: 'Parquet',
  },
} as const;
