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
  type CellContext,
  type Column,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useEffect,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  type RefObject,
} from 'react';
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
const NO_ROWS: TableRow[] = [];

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
    // Render after the scroll event, not inside it: a frame is drawn on time from the
    // overscan rows (10 each side) while React mounts the new ones.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();

  const sorting: SortingState = [{ id: sort.key, desc: sort.desc }];
  const columnVisibility = useMemo(
    () => Object.fromEntries(TAG_COLUMNS.map((t) => [t, result.tagColumns.includes(t)])),
    [result.tagColumns],
  );
  // react-table holds the columns, their visibility and the sort state; the rows are
  // the virtualiser's (the view is in the worker), so the table gets no data.
  const table = useReactTable({
    data: NO_ROWS,
    columns: COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.index),
    manualSorting: true,
    enableSortingRemoval: false,
    sortDescFirst: false,
    state: { sorting, columnVisibility },
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
      // The worker located the anchor it was asked about; one set since is among the rows
      // fetched around it.
      const now = anchor && (result.located[anchor.uuid] ?? rows.indexOf(anchor.uuid));
      if (anchor && now !== undefined) {
        if (now !== anchor.index) el.scrollTop += (now - anchor.index) * ROW_HEIGHT;
        vp.anchor = { uuid: anchor.uuid, index: now };
      } else if (vp) vp.anchor = undefined; // its index belonged to the last view
    } else {
      const at = selected ? result.located[selected] : undefined;
      el.scrollTop = at === undefined ? 0 : Math.max(0, (at - 3) * ROW_HEIGHT);
      if (vp) vp.anchor = undefined; // an index in the last view means nothing in this one
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
    const vp = viewport.current;
    if (vp) {
      vp.first = top;
      vp.visible = el ? Math.ceil(el.clientHeight / ROW_HEIGHT) : 20;
      // Rows not fetched yet: the last anchor (its index is in this view) still holds.
      if (anchorRow) vp.anchor = { uuid: anchorRow.uuid, index: top };
      else if (anchorRow === null || !vp.anchor) vp.anchor = undefined;
    }
  });

  return (
    <div className="xp-table" data-view-key={view.key} data-query-id={result.queryId}>
      {/* The table role sits on the scroller itself: a table's rows must be its children or
          in a rowgroup, and a focusable wrapper between them breaks that for screen readers. */}
      <div
        className="xp-scroll"
        ref={scrollRef}
        tabIndex={-1}
        role="table"
        aria-label="Records in view"
        aria-rowcount={result.total + 1}
      >
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
        <div
          className="xp-body"
          role="rowgroup"
          style={{ height: virtualizer.getTotalSize(), minWidth }}
        >
          {items.map((item) => {
            const r = rows.get(item.index);
            return (
              <RowView
                key={item.key}
                index={item.index}
                row={r}
                top={item.start - HEAD_HEIGHT}
                template={template}
                minWidth={minWidth}
                columns={columns}
                selected={!!r && r.uuid === selected}
                onSelect={onSelect}
              />
            );
          })}
        </div>
      </div>
      {rows.error && <p className="error">{rows.error}</p>}
    </div>
  );
}

interface RowProps {
  index: number;
  row: TableRow['row'];
  top: number;
  template: string;
  minWidth: number;
  columns: Column<TableRow, unknown>[];
  selected: boolean;
  onSelect: (uuid: string, index: number) => void;
}

/**
 * A cell's content. Our cells are plain functions of the row (table-columns.tsx), called
 * directly: flexRender would make each a component, ~600 more to mount per frame in a fast scroll.
 */
function cellOf(column: Column<TableRow, unknown>, context: CellContext<TableRow, number>) {
  const cell = column.columnDef.cell;
  return typeof cell === 'function' ? cell(context as CellContext<TableRow, unknown>) : cell;
}

/** One row; memoised, so scrolling renders only the rows that come into view. */
const RowView = memo(function RowView(props: RowProps) {
  const { index, row, columns } = props;
  const context = { row: { original: { index, row } } } as CellContext<TableRow, number>;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={props.selected}
      data-row-index={index}
      data-uuid={row?.uuid}
      className={`xp-row ${row?.review ?? ''}`}
      style={{
        gridTemplateColumns: props.template,
        minWidth: props.minWidth,
        transform: `translateY(${props.top}px)`,
      }}
      onClick={() => row && props.onSelect(row.uuid, index)}
    >
      {columns.map((column) => (
        <div key={column.id} role="cell">
          {cellOf(column, context)}
        </div>
      ))}
    </div>
  );
});
