/**
 * The explorer's state in the URL: the view filter (the shared encoding export reads
 * too), the sort, and the open record. Reload, back/forward and a shared link reproduce
 * the view. Filter and sort changes push history entries; moving between records replaces.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { DEFAULT_SORT, SORT_KEYS, type SortKey, type SortSpec } from '../../../shared/explorer-api';
import type { ViewFilter } from '../../../shared/filter';
import { parseViewFilter, writeViewFilter } from '../../../shared/view-filter-url';
import { setSearchParams } from '../../lib/url-state';

const listeners = new Set<() => void>();
function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function update(change: (p: URLSearchParams) => void, mode: 'push' | 'replace') {
  setSearchParams(change, mode);
  listeners.forEach((l) => l());
}

export function parseSort(value: string | null): SortSpec {
  const [key, dir] = (value ?? '').split('.');
  if (!(SORT_KEYS as readonly string[]).includes(key ?? '')) return DEFAULT_SORT;
  return { key: key as SortKey, desc: dir === 'desc' };
}

export function useExplorerUrl() {
  const search = useSyncExternalStore(subscribe, () => location.search);
  const state = useMemo(() => {
    const params = new URLSearchParams(search);
    return {
      filter: parseViewFilter(params),
      sort: parseSort(params.get('sort')),
      open: params.get('open'),
      /** Stable text of filter + sort, to compare views. */
      key: JSON.stringify([parseViewFilter(params), params.get('sort')]),
    };
  }, [search]);

  const setFilter = useCallback((filter: ViewFilter, mode: 'push' | 'replace' = 'push') => {
    update((p) => writeViewFilter(p, filter), mode);
  }, []);
  const setSort = useCallback((sort: SortSpec) => {
    update((p) => {
      if (sort.key === DEFAULT_SORT.key && sort.desc === DEFAULT_SORT.desc) p.delete('sort');
      else p.set('sort', `${sort.key}.${sort.desc ? 'desc' : 'asc'}`);
    }, 'push');
  }, []);
  const setOpen = useCallback((uuid: string | null) => {
    update((p) => (uuid ? p.set('open', uuid) : p.delete('open')), 'replace');
  }, []);
  return { ...state, setFilter, setSort, setOpen };
}
