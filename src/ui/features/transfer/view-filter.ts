/**
 * The explorer's current filter, read from the URL it keeps there (parseViewFilter), for
 * "export the current view": the explorer and the export apply the same ViewFilter with
 * recordMatches, so the file holds exactly the rows on screen. Undefined when the explorer
 * filters nothing (then "by review status" is the same thing).
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { ViewFilter } from '../../../shared/filter';
import { parseViewFilter } from '../../../shared/view-filter-url';

function subscribe(listener: () => void) {
  window.addEventListener('popstate', listener);
  return () => window.removeEventListener('popstate', listener);
}

export function isEmptyFilter(filter: ViewFilter): boolean {
  return (
    !filter.q &&
    !Object.values(filter.facets ?? {}).some((v) => v?.length) &&
    !Object.keys(filter.ranges ?? {}).length &&
    filter.endsWithColon === undefined
  );
}

export function useViewFilter(): ViewFilter | undefined {
  const search = useSyncExternalStore(subscribe, () => location.search);
  return useMemo(() => {
    const filter = parseViewFilter(new URLSearchParams(search));
    return isEmptyFilter(filter) ? undefined : filter;
  }, [search]);
}
