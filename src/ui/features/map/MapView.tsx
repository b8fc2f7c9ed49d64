/**
 * Map: every instruction of the dataset as a point, similar ones together. Positions are
 * computed in the map worker and stored; the explorer worker answers what to draw (so the
 * explorer's filter in the URL shows here as highlighted points, and a box or lasso drawn
 * here becomes that filter's region). Click opens a record in Explore.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { DEFAULT_SORT } from '../../../shared/explorer-api';
import type { ViewFilter } from '../../../shared/filter';
import {
  MAP_COLOR_FIELDS,
  MAP_COLOR_LABELS,
  isCategoryColor,
  type MapColorField,
  type MapComputed,
  type MapMethod,
  type MapPlaced,
  type MapPoints,
  type MapProgress,
} from '../../../shared/map-api';
import { EMBED_MODELS } from '../../../shared/quality';
import { simplifyRegion } from '../../../shared/region';
import type { Outcome } from '../../../shared/outcome';
import { listDatasets } from '../../../store/datasets';
import { getDb } from '../../../store/db';
import { setSearchParams, useSearchParam } from '../../lib/url-state';
import type { ViewProps } from '../../view-props';
import { callDataset } from '../../lib/dataset-worker';
import { useExplorerUrl } from '../explorer/use-explorer-url';
import { CompareControls, CompareLegend, CoverageSummary } from './MapCompare';
import { MapLegend } from './MapLegend';
import { MapProgressLine, ProgressFeed } from './MapProgressLine';
import { mapOutcome, mapWorker, proxy } from './map-client';
import { ScatterCanvas, type MapMode } from './ScatterCanvas';
import './map.css';

export function MapView({ datasetId }: ViewProps) {
  if (!datasetId)
    return (
      <section className="card">
        <h2>Map</h2>
        <p className="muted">Create or choose a dataset above to see its map.</p>
      </section>
    );
  return <TopicMap key={datasetId} datasetId={datasetId} />;
}

function isWholeDataset(filter: ViewFilter): boolean {
  return (
    !filter.q &&
    !filter.facets &&
    !filter.ranges &&
    filter.endsWithColon === undefined &&
    !filter.region
  );
}

function TopicMap({ datasetId }: { datasetId: string }) {
  const url = useExplorerUrl();
  const [colorParam, setColorParam] = useSearchParam('color');
  const colorBy: MapColorField = (MAP_COLOR_FIELDS as readonly string[]).includes(colorParam ?? '')
    ? (colorParam as MapColorField)
    : 'task_category';
  const [mode, setMode] = useState<MapMode>('pan');
  const [method, setMethod] = useState<MapMethod>('text');
  const [embedModel, setEmbedModel] = useState(EMBED_MODELS[0]?.id ?? '');
  const [seed, setSeed] = useState(1);
  const [reload, setReload] = useState(0);
  /** The map worker's stamp of its last write here: the dataset worker reads the layout again. */
  const [layoutStamp, setLayoutStamp] = useState<number>();
  const [points, setPoints] = useState<MapPoints | null>();
  const [error, setError] = useState<string>();
  /** A job is running (its progress goes to the progress line alone). */
  const [busy, setBusy] = useState(false);
  const [feed] = useState(() => new ProgressFeed());
  const [hover, setHover] = useState<{ at: [number, number]; text: string }>();
  const placing = useRef(false);
  const filter = url.filter;
  const whole = isWholeDataset(filter);
  const datasets = useLiveQuery(() => listDatasets(getDb()), []);
  const [compareParam, setCompareParam] = useSearchParam('compare');
  const others = datasets?.filter((d) => d.id !== datasetId) ?? [];
  const compared = others.find((d) => d.id === compareParam);
  const overlay = points?.overlays.find((o) => o.datasetId === compared?.id);
  const baseName = datasets?.find((d) => d.id === datasetId)?.name ?? 'this dataset';
  // A compared dataset that was deleted: the choice goes with it.
  const comparedGone = !!compareParam && !!datasets && !datasets.some((d) => d.id === compareParam);
  useEffect(() => {
    if (comparedGone) setCompareParam(null, 'replace');
  }, [comparedGone, setCompareParam]);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const queryId = whole
        ? undefined
        : (await callDataset((api) => api.query(datasetId, filter, DEFAULT_SORT))).queryId;
      const next = await callDataset((api) =>
        api.mapPoints(datasetId, colorBy, queryId, layoutStamp),
      );
      if (!cancelled) setPoints(next);
    })().catch((err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
    // url.key stands for the filter's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [datasetId, colorBy, url.key, reload, layoutStamp]);

  // Records added since the map was computed: placed near their neighbours, no recompute.
  useEffect(() => {
    if (!points?.unplaced || busy || placing.current) return;
    placing.current = true;
    void mapOutcome<MapPlaced>((api) => api.placeNew(datasetId) as Promise<Outcome<MapPlaced>>)
      .then((out) => {
        if (!out.ok) setError(`${out.error.message} ${out.error.hint}`.trim());
        else if (out.value.placed > 0) setLayoutStamp(out.value.layoutStamp);
      })
      .finally(() => (placing.current = false));
  }, [points, busy, datasetId]);

  /** Runs a long map job with progress and stop, then reads the map again. */
  const runJob = async (
    job: (onProgress: (p: MapProgress) => void) => Promise<Outcome<MapComputed>>,
  ) => {
    setError(undefined);
    feed.report({ phase: 'read', done: 0, total: 0 });
    setBusy(true);
    // Progress comes on a port of its own: its last report can land after the answer.
    let over = false;
    const out = await job(proxy((p: MapProgress) => !over && feed.report(p)));
    over = true;
    setBusy(false);
    if (out.ok) setLayoutStamp(out.value.layoutStamp);
    else
      setError(
        out.error.code === 'aborted'
          ? 'Stopped; the stored map is as it was.'
          : `${out.error.message} ${out.error.hint}`.trim(),
      );
    setReload((r) => r + 1);
  };
  const compute = () =>
    runJob((onProgress) =>
      mapOutcome<MapComputed>(
        (api) =>
          api.compute(
            datasetId,
            { method, seed, ...(method === 'semantic' && { embedModel }) },
            onProgress,
          ) as Promise<Outcome<MapComputed>>,
      ),
    );
  const placeCompared = (otherId: string) =>
    runJob((onProgress) =>
      mapOutcome<MapComputed>(
        (api) => api.overlay(datasetId, otherId, onProgress) as Promise<Outcome<MapComputed>>,
      ),
    );

  const { setFilter } = url;
  const onRegion = useCallback(
    (polygon: [number, number][]) => setFilter({ ...filter, region: simplifyRegion(polygon) }),
    [filter, setFilter],
  );
  const onClick = useCallback(
    (k: number) => {
      if (!points) return;
      void callDataset((api) => api.mapPointAt(datasetId, points.key, k)).then((rec) => {
        if (rec)
          setSearchParams((p) => {
            p.set('view', 'explore');
            p.set('open', rec.uuid);
          });
      });
    },
    [datasetId, points],
  );
  const onHover = useCallback(
    (k: number | null, at: [number, number] | null) => {
      if (k === null || !at || !points) return setHover(undefined);
      void callDataset((api) => api.mapPointAt(datasetId, points.key, k)).then((rec) =>
        setHover(rec ? { at, text: rec.instruction } : undefined),
      );
    },
    [datasetId, points],
  );

  const model = EMBED_MODELS.find((m) => m.id === embedModel);
  return (
    <section className="card map-view">
      <h2>Map</h2>
      <div className="row map-controls">
        <label>
          Place by
          <select
            value={method}
            disabled={busy}
            onChange={(e) => setMethod(e.target.value as MapMethod)}
          >
            <option value="text">text (words and spellings, no download)</option>
            <option value="semantic">meaning (a WebLLM embedding model)</option>
          </select>
        </label>
        {method === 'semantic' && (
          <label>
            Model
            <select
              value={embedModel}
              disabled={busy}
              onChange={(e) => setEmbedModel(e.target.value)}
            >
              {EMBED_MODELS.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Seed
          <input
            type="number"
            value={seed}
            disabled={busy}
            onChange={(e) => setSeed(Number(e.target.value) || 0)}
            style={{ width: '5em' }}
          />
        </label>
        {busy ? (
          <button type="button" onClick={() => void mapWorker((api) => api.stop())}>
            Stop
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void compute()}>
            {points ? 'Recompute map' : 'Compute map'}
          </button>
        )}
      </div>
      {method === 'semantic' && model && (
        <p className="muted">
          Downloads {model.label} ({model.downloadMB} MB, once, into this browser&apos;s cache) and
          runs it on this machine&apos;s GPU (WebGPU; about {model.vramMB} MB of GPU memory).
        </p>
      )}
      {busy && <MapProgressLine feed={feed} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {points === null && !busy && (
        <p className="muted">
          This dataset has no map yet. Compute it once; it is stored, and records added later are
          placed by themselves.
        </p>
      )}
      {points && (
        <>
          <div className="row map-controls">
            <fieldset className="map-mode">
              <legend>Mouse</legend>
              {(
                [
                  ['pan', 'Pan and zoom'],
                  ['box', 'Select a box'],
                  ['lasso', 'Select with a lasso'],
                ] as const
              ).map(([value, label]) => (
                <label key={value}>
                  <input
                    type="radio"
                    name="map-mode"
                    checked={mode === value}
                    onChange={() => setMode(value)}
                  />
                  {label}
                </label>
              ))}
            </fieldset>
            <label>
              Colour by
              <select
                value={colorBy}
                disabled={!!overlay}
                title={overlay ? 'While comparing, colours tell the datasets apart.' : undefined}
                onChange={(e) => setColorParam(e.target.value, 'replace')}
              >
                {MAP_COLOR_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {MAP_COLOR_LABELS[f]}
                  </option>
                ))}
              </select>
            </label>
            <CompareControls
              others={others}
              compareId={compared?.id}
              placed={!!overlay}
              busy={busy}
              onCompare={(id) => setCompareParam(id || null, 'replace')}
              onPlace={() => compared && void placeCompared(compared.id)}
            />
          </div>
          {compared && !overlay && !busy && (
            <p className="muted">
              Place {compared.name} on this map to see where each dataset covers ground the other
              does not: its instructions are placed with this map&apos;s fit, nothing here moves.
            </p>
          )}
          {compared && overlay && (
            <CoverageSummary
              baseName={baseName}
              otherName={compared.name}
              overlay={overlay}
              onSelectOnlyBase={(region) => setFilter({ ...filter, region })}
            />
          )}
          <p className="muted map-summary" data-testid="map-summary">
            {(points.xy.length / 2).toLocaleString()} records placed by{' '}
            {points.method === 'text' ? 'text' : 'meaning'}
            {points.placedLater > 0 &&
              `; ${points.placedLater.toLocaleString()} of them added later and placed approximately (recompute to place them exactly)`}
            {points.unplaced > 0 && `; ${points.unplaced.toLocaleString()} not placed yet`}.
            {points.inView !== undefined && (
              <>
                {' '}
                <strong>{points.inView.toLocaleString()}</strong> in the current filter
                (highlighted).{' '}
                <a
                  href="?view=explore"
                  onClick={(e) => {
                    e.preventDefault();
                    setSearchParams((p) => p.set('view', 'explore'));
                  }}
                >
                  Show them in Explore
                </a>
                {filter.region && (
                  <>
                    {' · '}
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        const { region: _old, ...rest } = filter;
                        setFilter(rest);
                      }}
                    >
                      Clear the region
                    </button>
                  </>
                )}
              </>
            )}
          </p>
          <div className="map-body">
            <ScatterCanvas
              points={points}
              numeric={colorBy !== 'none' && !isCategoryColor(colorBy)}
              overlay={overlay}
              mode={mode}
              onRegion={onRegion}
              onHover={onHover}
              onClick={onClick}
            />
            {overlay && compared ? (
              <CompareLegend
                baseName={baseName}
                baseCount={points.xy.length / 2}
                otherName={compared.name}
                overlay={overlay}
              />
            ) : (
              <MapLegend points={points} colorBy={colorBy} />
            )}
            {hover && (
              <div
                className="map-tooltip"
                role="tooltip"
                style={{ left: hover.at[0] + 12, top: hover.at[1] + 12 }}
              >
                {hover.text}
              </div>
            )}
          </div>
        </>
      )}
    </section>
  );
}
