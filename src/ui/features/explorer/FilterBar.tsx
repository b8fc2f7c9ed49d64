/**
 * Search, ranges and the "ends with ':'" choice. Search applies as the user types (after a
 * short pause); a range applies when its box is left or Enter is pressed.
 */
import { forwardRef, useEffect, useState } from 'react';
import type { TagColumn } from '../../../shared/explorer-api';
import type { RangeKey, ViewFilter } from '../../../shared/filter';

const RANGE_LABELS: Record<RangeKey, string> = {
  instruction_length: 'Instruction chars',
  response_length: 'Response chars',
  min_neighbor_distance: 'Neighbour distance',
  response_score: 'Response score',
};
const TYPING_PAUSE_MS = 200;

interface Props {
  filter: ViewFilter;
  tagColumns: TagColumn[];
  onFilter: (filter: ViewFilter, mode?: 'push' | 'replace') => void;
}

export const FilterBar = forwardRef<HTMLInputElement, Props>(function FilterBar(
  { filter, tagColumns, onFilter },
  searchRef,
) {
  const [q, setQ] = useState(filter.q ?? '');
  useEffect(() => setQ(filter.q ?? ''), [filter.q]);
  useEffect(() => {
    if (q === (filter.q ?? '')) return;
    const t = setTimeout(() => onFilter({ ...filter, q }, 'replace'), TYPING_PAUSE_MS);
    return () => clearTimeout(t);
  }, [q, filter, onFilter]);

  const ranges: RangeKey[] = ['instruction_length', 'response_length'];
  if (tagColumns.includes('min_neighbor_distance')) ranges.push('min_neighbor_distance');
  if (tagColumns.includes('response_score')) ranges.push('response_score');
  const setRange = (key: RangeKey, side: 0 | 1, text: string) => {
    const value = text.trim() === '' ? null : Number(text);
    if (value !== null && !Number.isFinite(value)) return;
    const current = filter.ranges?.[key] ?? [null, null];
    const next: [number | null, number | null] =
      side === 0 ? [value, current[1]] : [current[0], value];
    if (next[0] === current[0] && next[1] === current[1]) return;
    const rest = { ...filter.ranges };
    if (next[0] === null && next[1] === null) delete rest[key];
    else rest[key] = next;
    onFilter({ ...filter, ranges: rest });
  };
  const colon =
    filter.endsWithColon === undefined ? 'any' : filter.endsWithColon ? 'only' : 'exclude';
  const empty =
    !filter.q &&
    !filter.facets &&
    !filter.ranges &&
    filter.endsWithColon === undefined &&
    !filter.region;

  return (
    <div className="xp-filters row" role="search">
      <label className="grow">
        <span>
          Search instructions and responses (word starts) <kbd>/</kbd>
        </span>
        <input
          ref={searchRef}
          type="search"
          value={q}
          placeholder="e.g. python sort"
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onFilter({ ...filter, q }, 'push');
          }}
        />
      </label>
      {ranges.map((key) => (
        <fieldset key={key} className="range">
          <legend>{RANGE_LABELS[key]}</legend>
          {([0, 1] as const).map((side) => (
            <input
              key={`${key}-${side}-${filter.ranges?.[key]?.[side] ?? ''}`}
              type="number"
              aria-label={`${RANGE_LABELS[key]} ${side === 0 ? 'at least' : 'at most'}`}
              placeholder={side === 0 ? 'min' : 'max'}
              defaultValue={filter.ranges?.[key]?.[side] ?? ''}
              onBlur={(e) => setRange(key, side, e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') setRange(key, side, e.currentTarget.value);
              }}
            />
          ))}
        </fieldset>
      ))}
      <label>
        Instruction ends with ":"
        <select
          value={colon}
          onChange={(e) => {
            const v = e.target.value;
            const { endsWithColon: _old, ...rest } = filter;
            onFilter(v === 'any' ? rest : { ...rest, endsWithColon: v === 'only' });
          }}
        >
          <option value="any">either</option>
          <option value="only">only those</option>
          <option value="exclude">none of those</option>
        </select>
      </label>
      {filter.region && (
        <button
          type="button"
          title="Records inside the region drawn on the map"
          onClick={() => {
            const { region: _old, ...rest } = filter;
            onFilter(rest);
          }}
        >
          Map region ✕
        </button>
      )}
      <button type="button" disabled={empty} onClick={() => onFilter({})}>
        Clear filter
      </button>
    </div>
  );
});
