/**
 * Near-duplicates: where the dataset stands, and a full pass with the text method (no
 * download) or the semantic one (a WebLLM embedding model, whose download is stated).
 * New pairs are checked as they arrive; records not checked yet (an import) are caught up
 * as soon as this view opens.
 */
import { useEffect, useRef, useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import {
  DEFAULT_SEMANTIC_THRESHOLD,
  DEFAULT_TEXT_THRESHOLD,
  EMBED_MODELS,
  NEAR_DUP_SOURCE_LABELS,
  type DedupMethod,
  type NearDupSource,
  type DedupProgress,
  type DedupResult,
  type QualitySummary,
} from '../../../shared/quality';
import { ErrorNote } from '../../lib/ErrorNote';
import { callDataset, datasetOutcome, proxy } from '../../lib/dataset-worker';
import { count, n } from './format';

interface Props {
  datasetId: string;
  summary: QualitySummary | undefined;
  onChanged: () => void;
}

const PHASES: Record<DedupProgress['phase'], string> = {
  reading: 'Reading instructions',
  downloading: 'Loading the embedding model',
  embedding: 'Embedding instructions',
  comparing: 'Comparing instructions',
  writing: 'Saving the results',
};

export function DuplicatesCard({ datasetId, summary, onChanged }: Props) {
  const [method, setMethod] = useState<DedupMethod>('text');
  const [threshold, setThreshold] = useState(DEFAULT_TEXT_THRESHOLD);
  const [embedModel, setEmbedModel] = useState(EMBED_MODELS[0]?.id ?? '');
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<DedupProgress>();
  const [result, setResult] = useState<DedupResult>();
  const [error, setError] = useState<EngineErrorInfo>();
  const caughtUp = useRef<string>(undefined);

  const unchecked = summary ? summary.records - summary.dedupChecked : 0;
  // Records stored without the check (an import, an older version): check them now, once.
  useEffect(() => {
    if (!unchecked || running || caughtUp.current === datasetId) return;
    caughtUp.current = datasetId;
    void datasetOutcome((api) => api.catchUp(datasetId)).then(() => onChanged());
  }, [unchecked, running, datasetId, onChanged]);

  const chooseMethod = (m: DedupMethod) => {
    setMethod(m);
    setThreshold(m === 'text' ? DEFAULT_TEXT_THRESHOLD : DEFAULT_SEMANTIC_THRESHOLD);
  };

  const run = async () => {
    setRunning(true);
    setError(undefined);
    setResult(undefined);
    setProgress(undefined);
    const out = await datasetOutcome((api) =>
      api.findDuplicates(datasetId, { method, threshold, embedModel }, proxy(setProgress)),
    );
    setRunning(false);
    if (out.ok) setResult(out.value);
    else setError(out.error);
    onChanged();
  };

  const stop = () =>
    void datasetOutcome(async (api) => {
      await api.cancelDuplicates();
      return { ok: true, value: undefined };
    });

  const model = EMBED_MODELS.find((m) => m.id === embedModel);
  return (
    <section className="card" aria-labelledby="dedup-h">
      <h2 id="dedup-h">Near-duplicates</h2>
      <p data-testid="dedup-status">
        {summary
          ? `${n(summary.dedupChecked)} of ${count(summary.records, 'record')} checked · ${count(summary.clusters, 'cluster')} · ${count(summary.duplicates, 'record repeats', 'records repeat')} an earlier one`
          : 'Counting…'}
      </p>
      <p className="muted">
        New pairs are checked as they are made. Fields (as in Magpie’s data): min_neighbor_distance,
        repeat_count, min_similar_uuid (the first record of its cluster).
      </p>
      <NearDupSourceField datasetId={datasetId} disabled={running} onChanged={onChanged} />
      <fieldset>
        <legend>Method</legend>
        <label className="check">
          <input type="radio" checked={method === 'text'} onChange={() => chooseMethod('text')} />
          Text similarity (MinHash over character 5-grams; no download)
        </label>
        <label className="check">
          <input
            type="radio"
            checked={method === 'semantic'}
            onChange={() => chooseMethod('semantic')}
          />
          Semantic similarity (a WebLLM embedding model on this GPU)
        </label>
        {method === 'semantic' && (
          <div className="row">
            <label className="grow">
              Embedding model
              <select value={embedModel} onChange={(e) => setEmbedModel(e.target.value)}>
                {EMBED_MODELS.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
            {model && (
              <p className="warn">
                Downloads about {model.downloadMB} MB once ({model.id}, kept in the browser cache)
                and uses about {model.vramMB} MB of GPU memory.
              </p>
            )}
          </div>
        )}
        <label>
          Duplicate when closer than (distance, 0-1)
          <input
            type="number"
            min={0.01}
            max={0.99}
            step={0.01}
            value={threshold}
            onChange={(e) => setThreshold(Number(e.target.value))}
          />
        </label>
      </fieldset>
      <div className="row">
        {running ? (
          <button type="button" className="danger" onClick={stop}>
            Stop
          </button>
        ) : (
          <button type="button" onClick={() => void run()}>
            Find near-duplicates in all records
          </button>
        )}
      </div>
      {running && progress && (
        <div aria-label="Near-duplicate progress">
          <progress max={progress.total || 1} value={progress.done} />
          <p className="muted">
            {PHASES[progress.phase]}
            {progress.phase === 'downloading'
              ? `: ${progress.note ?? ''}`
              : ` ${n(Math.round(progress.done))} / ${n(progress.total)}`}
          </p>
        </div>
      )}
      {result && (
        <p className="ok" data-testid="dedup-result">
          Checked {n(result.records)} records in {(result.ms / 1000).toFixed(1)} s:{' '}
          {count(result.clusters, 'cluster')}, {count(result.duplicates, 'duplicate')};{' '}
          {count(result.updated, 'record')} updated.
        </p>
      )}
      <ErrorNote error={error} />
    </section>
  );
}

/**
 * Which values the explorer, recipe and export use: an imported Magpie release carries the
 * authors' own (from embeddings), kept as the file gave them; this app's passes keep theirs
 * apart. Changing it builds the dataset's index again.
 */
function NearDupSourceField({
  datasetId,
  disabled,
  onChanged,
}: {
  datasetId: string;
  disabled: boolean;
  onChanged: () => void;
}) {
  const [source, setSource] = useState<NearDupSource>();
  const [error, setError] = useState<EngineErrorInfo>();
  useEffect(() => {
    let live = true;
    void callDataset((api) => api.nearDupSource(datasetId)).then((s) => live && setSource(s));
    return () => {
      live = false;
    };
  }, [datasetId]);
  const choose = async (next: NearDupSource) => {
    setSource(next);
    setError(undefined);
    const out = await datasetOutcome((api) => api.setNearDupSource(datasetId, next));
    if (!out.ok) setError(out.error);
    onChanged();
  };
  return (
    <>
      <label>
        Near-duplicate values used by the explorer, recipes and export
        <select
          value={source ?? 'auto'}
          disabled={disabled || source === undefined}
          onChange={(e) => void choose(e.target.value as NearDupSource)}
        >
          {(Object.keys(NEAR_DUP_SOURCE_LABELS) as NearDupSource[]).map((s) => (
            <option key={s} value={s}>
              {NEAR_DUP_SOURCE_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <ErrorNote error={error} />
    </>
  );
}
