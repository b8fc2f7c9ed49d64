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
import { ErrorNote } from '../../lib/ErrorNote';
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

  const selection = useMemo<ExportSelection>(() => {
    if (scope === 'all') return { scope, filter: {} };
    const base = scope === 'view' ? (view ?? {}) : {};
    return { scope, filter: { ...base, facets: { ...base.facets, review: reviews } } };
  }, [scope, view, reviews]);
  const { count, error: countError } = useSelectionCount(datasetId, selection, refresh + outside);
  const noStatus = scope !== 'all' && reviews.length === 0;

  const start = async () => {
    setError(undefined);
    setResult(undefined);
    const file = FILE_TYPES[options.file ?? 'jsonl'];
    const fileName = `${slug(datasetName)}-${options.format}${file.extension}`;
    let picked: Awaited<ReturnType<typeof pickSaveFile>>;
    try {
      picked = await pickSaveFile(fileName, file);
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
    const name = picked ? picked.name : fileName;
    const id = crypto.randomUUID();
    setJob({ id });
    const out = await callTransfer((api) =>
      api.exportDataset(
        id,
        { datasetId, selection, options, fileName: name },
        target,
        proxy((progress: ExportProgress) => setJob({ id, progress })),
      ),
    );
    setJob(undefined);
    setRefresh((n) => n + 1);
    if (!out.ok) return setError(out.error);
    if (out.value.blob) download(out.value.blob, name);
    setResult({ ...out.value, fileName: name });
  };

  const p = job?.progress;
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
        disabled={!!job}
      />
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
      {result && <ExportResultView result={result} />}
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
