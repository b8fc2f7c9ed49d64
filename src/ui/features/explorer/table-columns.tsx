/**
 * The table's columns (@tanstack/react-table definitions). Column ids are the sort keys,
 * so a header click maps straight to the URL's sort. Tag columns show only when some
 * record has the tag. Text from the model is rendered as text (React escapes it).
 */
import { createColumnHelper, type ColumnDef } from '@tanstack/react-table';
import type { RowSummary, TagColumn } from '../../../shared/explorer-api';

/** A table row: a fetched summary, or a placeholder while its block loads (undefined) or after a delete (null). */
export interface TableRow {
  index: number;
  row: RowSummary | null | undefined;
}

export const TAG_LABELS: Record<TagColumn, string> = {
  task_category: 'Category',
  input_quality: 'Quality',
  difficulty: 'Difficulty',
  language: 'Lang.',
  min_neighbor_distance: 'Neighbour dist.',
  repeat_count: 'Repeats',
  response_score: 'Score',
};

const h = createColumnHelper<TableRow>();
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

function firstLine(text: string | undefined): string {
  if (text === undefined) return '';
  const line = text.trimStart().split('\n', 1)[0]!;
  return line.length < text.trimStart().length ? `${line} …` : line;
}

function text(get: (r: RowSummary) => string | number | undefined) {
  return ({ row }: { row: { original: TableRow } }) => {
    const r = row.original.row;
    if (r === undefined) return <span className="placeholder">…</span>;
    if (r === null) return <span className="muted">deleted</span>;
    const v = get(r);
    return v === undefined || v === '' ? <span className="muted">–</span> : String(v);
  };
}

// Accessor columns (the value itself is unused: sorting is the worker's) so react-table lets them sort.
const tag = (key: TagColumn, size: number, format = (v: string | number) => String(v)) =>
  h.accessor((r) => r.index, {
    id: key,
    header: TAG_LABELS[key],
    size,
    cell: text((r) => {
      const v = r[key];
      return v === undefined ? undefined : format(v);
    }),
  });

export const COLUMNS: ColumnDef<TableRow, number>[] = [
  h.accessor((r) => r.index, {
    id: 'instruction',
    header: 'Instruction',
    size: 320,
    meta: { flex: 3 },
    cell: text((r) => firstLine(r.instruction)),
  }),
  h.accessor((r) => r.index, {
    id: 'response',
    header: 'Response',
    size: 280,
    meta: { flex: 2 },
    cell: text((r) => firstLine(r.response)),
  }),
  h.accessor((r) => r.index, {
    id: 'model',
    header: 'Model',
    size: 150,
    cell: text((r) => r.model),
  }),
  h.accessor((r) => r.index, {
    id: 'instruction_length',
    header: 'Instr. chars',
    size: 90,
    cell: text((r) => r.instruction_length),
  }),
  h.accessor((r) => r.index, {
    id: 'response_length',
    header: 'Resp. chars',
    size: 90,
    cell: text((r) => r.response_length),
  }),
  h.accessor((r) => r.index, {
    id: 'finish',
    header: 'Finish',
    size: 80,
    cell: text((r) =>
      r.finish.instruction === 'stop'
        ? r.finish.response
        : `${r.finish.response} (instr. ${r.finish.instruction})`,
    ),
  }),
  h.accessor((r) => r.index, {
    id: 'turns',
    header: 'Turns',
    size: 60,
    cell: text((r) => r.turns),
  }),
  h.accessor((r) => r.index, {
    id: 'createdAt',
    header: 'Created',
    size: 130,
    cell: text((r) => dateFormat.format(r.createdAt)),
  }),
  h.accessor((r) => r.index, {
    id: 'review',
    header: 'Status',
    size: 110,
    cell: ({ row }) => {
      const r = row.original.row;
      if (!r) return text(() => '')({ row });
      return (
        <span className={`badge ${r.review}`}>
          {r.review}
          {r.edited && <span title="edited"> ✎</span>}
        </span>
      );
    },
  }),
  tag('task_category', 140),
  tag('input_quality', 90),
  tag('difficulty', 90),
  tag('language', 60),
  tag('min_neighbor_distance', 110, (v) => Number(v).toFixed(3)),
  tag('repeat_count', 70),
  tag('response_score', 70),
];

declare module '@tanstack/react-table' {
  interface ColumnMeta<TData, TValue> {
    /** Share of the spare width this column takes (fixed width otherwise). */
    flex?: number;
    _unused?: [TData, TValue];
  }
}
