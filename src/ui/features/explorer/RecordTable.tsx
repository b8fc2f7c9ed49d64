/**
 * The view as one virtualised table: any number of rows, ~30 in the DOM. Rows come from
 * the view's RowCache in blocks as the user scrolls. When the same view refreshes (records
 * arriving, tags landing), the row under the cursor keeps its place on screen: the scroll
 * position moves by as many rows as were inserted above it.
 */
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef, type RefObject } from 'react';
import {
  DEFAULT_SORT,
  TAG_COLUMNS,
  type SortKey,
  type SortSpec,
} from '../../../shared/explorer-api';
import { COLUMNS, type TableRow } from './table-columns';
import type { ShownView, Viewport } from './use-explorer-view';

export const ROW_HEIGHT = 44;
/** Height of the sticky header inside the scroller (explorer.css keeps them equal). */
const HEAD_HEIGHT = 36;

interface Props {
  view: ShownView;
  sort: SortSpec;
  onSort: (sort: SortSpec) => void;
  selected: string | null;
  /** Index of the selected row in the view, to keep it on screen when it moves. */
  selectedIndex: number | undefined;
  onSelect: (uuid: string, index: number) => void;
  viewport: RefObject<Viewport>;
}

export function RecordTable({
  view,
  sort,
  onSort,
  selected,
  selectedIndex,
  onSelect,
  viewport,
}: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { result, rows } = view;
  const [, rowsArrived] = useReducer((n: number) => n + 1, 0);
  useEffect(() => rows.onChange(rowsArrived), [rows]);

  // eslint-disable-next-line react-hooks/incompatible-library -- it re-renders this table itself; nothing memoised holds its functions
  const virtualizer = useVirtualizer({
    count: result.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin: HEAD_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const data = useMemo<TableRow[]>(
    () => items.map((v) => ({ index: v.index, row: rows.get(v.index) })),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rowsArrived re-renders when blocks land
    [items, rows, rows.get(items[0]?.index ?? 0), rows.get(items[items.length - 1]?.index ?? 0)],
  );

  const sorting: SortingState = [{ id: sort.key, desc: sort.desc }];
  const table = useReactTable({
    data,
    columns: COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.index),
    manualSorting: true,
    enableSortingRemoval: false,
    sortDescFirst: false,
    state: {
      sorting,
      columnVisibility: Object.fromEntries(
        TAG_COLUMNS.map((t) => [t, result.tagColumns.includes(t)]),
      ),
    },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      onSort(first ? { key: first.id as SortKey, desc: first.desc } : DEFAULT_SORT);
    },
  });
  const columns = table.getVisibleLeafColumns();
  const template = columns
    .map((c) => {
      const flex = c.columnDef.meta?.flex;
      return flex ? `minmax(${c.getSize()}px, ${flex}fr)` : `${c.getSize()}px`;
    })
    .join(' ');
  const minWidth = columns.reduce((w, c) => w + c.getSize(), 0);

  // Place the view: a new one at the top (or at the open record); a refresh holds the anchor row still.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const vp = viewport.current;
    if (view.reason === 'refresh') {
      const anchor = vp?.anchor;
      const now = anchor && result.located[anchor.uuid];
      if (anchor && now !== undefined && now !== anchor.index)
        el.scrollTop += (now - anchor.index) * ROW_HEIGHT;
    } else {
      const at = selected ? result.located[selected] : undefined;
      el.scrollTop = at === undefined ? 0 : Math.max(0, (at - 3) * ROW_HEIGHT);
    }
    // only when a view arrives
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view]);

  // Keep the selected row on screen as the keyboard moves it.
  useEffect(() => {
    if (selectedIndex !== undefined) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  // Fetch what is on screen; remember where that is (for refreshes and the next view).
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    void rows.ensure(first, last + 1);
    const el = scrollRef.current;
    const top = el ? Math.ceil(el.scrollTop / ROW_HEIGHT) : first;
    const anchorRow = rows.get(top);
    if (viewport.current) {
      viewport.current.first = top;
      viewport.current.visible = el ? Math.ceil(el.clientHeight / ROW_HEIGHT) : 20;
      viewport.current.anchor = anchorRow ? { uuid: anchorRow.uuid, index: top } : undefined;
    }
  });

  const rowModel = table.getRowModel().rows;
  return (
    <div
      className="xp-table"
      role="table"
      aria-label="Records in view"
      aria-rowcount={result.total + 1}
      data-view-key={view.key}
      data-query-id={result.queryId}
    >
      <div className="xp-scroll" ref={scrollRef} tabIndex={-1}>
        <div className="xp-head" role="row" style={{ gridTemplateColumns: template, minWidth }}>
          {table.getHeaderGroups()[0]!.headers.map((header) => {
            const dir = header.column.getIsSorted();
            return (
              <div
                key={header.id}
                role="columnheader"
                aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
              >
                <button type="button" onClick={header.column.getToggleSortingHandler()}>
                  {flexRender(header.column.columnDef.header, header.getContext())}
                  <span className="sort-dir">
                    {dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ''}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
        <div className="xp-body" style={{ height: virtualizer.getTotalSize(), minWidth }}>
          {rowModel.map((row, i) => {
            const item = items[i]!;
            const r = row.original.row;
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={!!r && r.uuid === selected}
                data-row-index={item.index}
                data-uuid={r?.uuid}
                className={`xp-row ${r?.review ?? ''}`}
                style={{
                  gridTemplateColumns: template,
                  minWidth,
                  transform: `translateY(${item.start - HEAD_HEIGHT}px)`,
                }}
                onClick={() => r && onSelect(r.uuid, item.index)}
              >
                {row.getVisibleCells().map((cell) => (
                  <div key={cell.id} role="cell">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
      {rows.error && <p className="error">{rows.error}</p>}
    </div>
  );
}
