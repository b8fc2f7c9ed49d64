/**
 * Asks the worker for the current view and publishes it together with the rows that
 * will be on screen, so the table switches in one paint (no empty flash). A new filter or
 * sort is a 'new' view (shown from the top, or at the open record); data changing under
 * the same view is a 'refresh', which the table shows with the row under the cursor held
 * in place. Refreshes follow the worker's change notices, at most about once a second.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { SortSpec, ViewResult } from '../../../shared/explorer-api';
import type { ViewFilter } from '../../../shared/filter';
import { callDataset, watchDataset } from '../../lib/dataset-worker';
import { RowCache } from './row-cache';

const REFRESH_EVERY_MS = 1000;

/** Where the table is scrolled, kept by the table, read when a view arrives. */
export interface Viewport {
  first: number;
  visible: number;
  /** The first row fully on screen; held in place across refreshes. */
  anchor?: { uuid: string; index: number };
}

export interface ShownView {
  result: ViewResult;
  rows: RowCache;
  reason: 'new' | 'refresh';
  /** filter + sort this view answers. */
  key: string;
}

export function useExplorerView(
  datasetId: string | undefined,
  filter: ViewFilter,
  sort: SortSpec,
  key: string,
  selected: string | null,
  viewport: RefObject<Viewport>,
) {
  const [view, setView] = useState<ShownView>();
  const [error, setError] = useState<string>();
  const seq = useRef(0);
  const ask = useRef({ datasetId, filter, sort, key, selected });
  // First effect of this hook, so the runs below read this render's view.
  useEffect(() => {
    ask.current = { datasetId, filter, sort, key, selected };
  });
  const lastRun = useRef(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const run = useCallback(
    async (reason: 'new' | 'refresh'): Promise<void> => {
      const { datasetId, filter, sort, key, selected } = ask.current;
      if (!datasetId) return;
      const mine = ++seq.current;
      lastRun.current = performance.now();
      try {
        for (let attempt = 0; ; attempt++) {
          const vp = { ...(viewport.current ?? { first: 0, visible: 30 }) }; // as it is now
          const locate = [selected, vp.anchor?.uuid].filter((u): u is string => !!u);
          const result = await callDataset((api) => api.query(datasetId, filter, sort, locate));
          if (mine !== seq.current) return;
          const rows = new RowCache(result.queryId, result.total);
          let first = 0;
          if (reason === 'refresh' && vp.anchor)
            first =
              (result.located[vp.anchor.uuid] ?? vp.anchor.index) - (vp.anchor.index - vp.first);
          else if (selected && result.located[selected] !== undefined)
            first = result.located[selected]! - Math.floor(vp.visible / 2);
          await rows.ensure(Math.max(0, first - 10), first + vp.visible + 10);
          if (mine !== seq.current) return;
          // Scrolled (or the rows on screen arrived) while this view was made: the anchor it
          // located is not the one on screen now, so it could not be held still. Ask again.
          if (
            reason === 'refresh' &&
            attempt < 3 &&
            viewport.current?.anchor?.uuid !== vp.anchor?.uuid
          )
            continue;
          setView({ result, rows, reason, key });
          setError(undefined);
          return;
        }
      } catch (e) {
        if (mine === seq.current) setError((e as Error).message);
      }
    },
    [viewport],
  );

  const refresh = useCallback(() => {
    if (refreshTimer.current) return;
    const wait = Math.max(0, lastRun.current + REFRESH_EVERY_MS - performance.now());
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = undefined;
      void run('refresh');
    }, wait);
  }, [run]);

  useEffect(() => {
    void run('new');
  }, [run, datasetId, key]);

  useEffect(() => {
    if (!datasetId) return;
    const stop = watchDataset(datasetId, () => refresh());
    return () => {
      clearTimeout(refreshTimer.current);
      refreshTimer.current = undefined;
      stop();
    };
  }, [datasetId, refresh]);

  /** After the user's own write: show it now. */
  const reload = useCallback(() => run('refresh'), [run]);

  return { view, error, reload };
}
