/**
 * Explore: the current dataset as one table with facets, search, ranges, charts, a record
 * panel and bulk actions. The view (filter, sort, open record) lives in the URL; the
 * explorer worker answers it; this component holds only what is on screen.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RowSummary, TextEdit } from '../../../shared/explorer-api';
import type { PairRecord, ReviewStatus } from '../../../shared/record';
import type { ViewProps } from '../../view-props';
import { BulkBar } from './BulkBar';
import { callDataset } from '../../lib/dataset-worker';
import { FacetPanel } from './FacetPanel';
import { FilterBar } from './FilterBar';
import { RecordDetail } from './RecordDetail';
import { RecordTable } from './RecordTable';
import { ShapeCharts } from './ShapeCharts';
import { SHORTCUTS, shortcutOf } from './shortcuts';
import { useExplorerUrl } from './use-explorer-url';
import { useExplorerView, type Viewport } from './use-explorer-view';
import './explorer.css';

export function ExploreView({ datasetId }: ViewProps) {
  if (!datasetId)
    return (
      <section className="card">
        <h2>Explore</h2>
        <p className="muted">Create or choose a dataset above to explore its records.</p>
      </section>
    );
  return <Explorer key={datasetId} datasetId={datasetId} />;
}

function Explorer({ datasetId }: { datasetId: string }) {
  const url = useExplorerUrl();
  const viewport = useRef<Viewport>({ first: 0, visible: 20 });
  const { view, error, reload } = useExplorerView(
    datasetId,
    url.filter,
    url.sort,
    url.key,
    url.open,
    viewport,
  );
  const [selectedIndex, setSelectedIndex] = useState<number>();
  const [editing, setEditing] = useState(false);
  const [deleted, setDeleted] = useState<PairRecord[]>();
  const [actionError, setActionError] = useState<string>();
  const searchRef = useRef<HTMLInputElement>(null);
  const result = view?.result;

  // Where the open record stands in a newly arrived view.
  const [shownView, setShownView] = useState(view);
  if (view !== shownView) {
    setShownView(view);
    if (url.open && view) setSelectedIndex(view.result.located[url.open]);
  }

  const rowAt = useCallback(
    async (index: number): Promise<RowSummary | undefined> => {
      if (!view || index < 0 || index >= view.result.total) return undefined;
      await view.rows.ensure(index, index + 1);
      return view.rows.get(index) ?? undefined;
    },
    [view],
  );

  const { setOpen } = url;
  const select = useCallback(
    (uuid: string | null, index?: number) => {
      setOpen(uuid);
      setSelectedIndex(index);
      setEditing(false);
    },
    [setOpen],
  );

  const move = useCallback(
    async (step: 1 | -1) => {
      const from =
        selectedIndex ?? (step === 1 ? viewport.current.first - 1 : viewport.current.first + 1);
      const row = await rowAt(from + step);
      if (row) select(row.uuid, from + step);
    },
    [rowAt, select, selectedIndex],
  );

  const act = useCallback(
    async (work: () => Promise<void>) => {
      setActionError(undefined);
      try {
        await work();
      } catch (e) {
        setActionError((e as Error).message);
      }
      await reload();
    },
    [reload],
  );

  /** Sets the open record's status and moves on to the next one, as a curator works down a list. */
  const review = useCallback(
    (status: ReviewStatus) => {
      const uuid = url.open;
      if (!uuid) return;
      void act(async () => {
        const next = selectedIndex === undefined ? undefined : await rowAt(selectedIndex + 1);
        await callDataset((api) => api.setReview(datasetId, [uuid], status));
        if (next) select(next.uuid, selectedIndex! + 1);
      });
    },
    [act, datasetId, rowAt, select, selectedIndex, url.open],
  );

  const remove = useCallback(() => {
    const uuid = url.open;
    if (!uuid) return;
    void act(async () => {
      const next = selectedIndex === undefined ? undefined : await rowAt(selectedIndex + 1);
      const gone = await callDataset((api) => api.deleteRecords(datasetId, [uuid]));
      setDeleted(gone);
      select(next?.uuid ?? null, next ? selectedIndex : undefined);
    });
  }, [act, datasetId, rowAt, select, selectedIndex, url.open]);

  const save = useCallback(
    async (edit: TextEdit) => {
      const uuid = url.open;
      if (!uuid) return;
      await callDataset((api) => api.edit(datasetId, uuid, edit));
      setEditing(false);
      await reload();
    },
    [datasetId, reload, url.open],
  );

  const swap = useCallback(async () => {
    const uuid = url.open;
    if (!uuid) return;
    await callDataset((api) => api.swapPreference(datasetId, uuid));
    await reload();
  }, [datasetId, reload, url.open]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutOf(event);
      if (!action) return;
      const open = !!url.open;
      if (action === 'search') searchRef.current?.focus();
      else if (action === 'next') void move(1);
      else if (action === 'previous') void move(-1);
      else if (action === 'close') {
        if (editing) setEditing(false);
        else if (open) select(null);
        else return;
      } else if (!open) return;
      else if (action === 'keep') review('kept');
      else if (action === 'reject') review('rejected');
      else if (action === 'unreviewed') review('unreviewed');
      else if (action === 'edit') setEditing(true);
      else if (action === 'delete') remove();
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editing, move, remove, review, select, url.open]);

  return (
    <section className="card xp" aria-labelledby="explore-h">
      <header className="row xp-title">
        <h2 id="explore-h">Explore</h2>
        {result && (
          <span data-testid="view-count">
            <strong>{result.total.toLocaleString()}</strong> of{' '}
            {result.datasetTotal.toLocaleString()} records in view
          </span>
        )}
        {result?.indexing && (
          <label className="grow xp-indexing">
            Reading the dataset for the first time: {result.indexing.read.toLocaleString()}
            {result.indexing.total !== undefined &&
              ` of ${result.indexing.total.toLocaleString()}`}{' '}
            records (the view covers those so far; later opens are instant)
            {/* indeterminate until the count is in */}
            <progress
              value={result.indexing.total === undefined ? undefined : result.indexing.read}
              max={result.indexing.total}
            />
          </label>
        )}
        {result?.textPending && <span className="muted">Loading the search index…</span>}
        <span className="muted xp-keys">
          Keys: <kbd>{SHORTCUTS.next}</kbd>/<kbd>{SHORTCUTS.previous}</kbd> next/previous,{' '}
          <kbd>{SHORTCUTS.keep}</kbd> keep, <kbd>{SHORTCUTS.reject}</kbd> reject,{' '}
          <kbd>{SHORTCUTS.edit}</kbd> edit, <kbd>/</kbd> search
        </span>
      </header>
      <FilterBar
        ref={searchRef}
        filter={url.filter}
        tagColumns={result?.tagColumns ?? []}
        onFilter={url.setFilter}
      />
      {(error || actionError) && (
        <div className="error" role="alert">
          <strong>{actionError ?? error}</strong>
          <p>Nothing you made is lost; the view reloads on the next change, or reload the page.</p>
        </div>
      )}
      {deleted && (
        <p role="status" className="xp-undo">
          Deleted {deleted.length === 1 ? 'the record' : `${deleted.length} records`}.{' '}
          <button
            type="button"
            onClick={() => {
              const records = deleted;
              setDeleted(undefined);
              void act(() => callDataset((api) => api.restoreRecords(datasetId, records)));
            }}
          >
            Undo
          </button>
        </p>
      )}
      {view && <BulkBar key={view.key} result={view.result} onDone={() => void reload()} />}
      {!view && !error && <p className="muted">Opening the dataset…</p>}
      {view && (
        <div className={`xp-body-grid ${url.open ? 'with-detail' : ''}`}>
          <FacetPanel facets={view.result.facets} filter={url.filter} onFilter={url.setFilter} />
          <div className="xp-main">
            {view.result.total === 0 ? (
              <p className="muted xp-empty">
                {view.result.datasetTotal === 0
                  ? 'This dataset has no records yet. Generate some; they appear here as they are made.'
                  : 'No record matches this filter.'}
              </p>
            ) : (
              <RecordTable
                view={view}
                sort={url.sort}
                onSort={url.setSort}
                selected={url.open}
                selectedIndex={selectedIndex}
                onSelect={select}
                viewport={viewport}
              />
            )}
            <ShapeCharts shape={view.result.shape} />
          </div>
          {url.open && (
            <RecordDetail
              uuid={url.open}
              index={selectedIndex}
              total={view.result.total}
              editing={editing}
              onEditing={setEditing}
              onMove={(step) => void move(step)}
              onClose={() => select(null)}
              onReview={review}
              onDelete={remove}
              onSave={save}
              onSwap={swap}
            />
          )}
        </div>
      )}
    </section>
  );
}
