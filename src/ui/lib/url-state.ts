/**
 * View state in the URL (the current view, the explorer's filter), so reload,
 * back/forward and a shared link all reproduce what the user sees.
 */
import { useCallback, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Replace or push new search params; every useSearchParam re-renders. */
export function setSearchParams(
  update: (params: URLSearchParams) => void,
  mode: 'push' | 'replace' = 'push',
) {
  const params = new URLSearchParams(location.search);
  update(params);
  const search = params.toString();
  const url = `${location.pathname}${search ? `?${search}` : ''}${location.hash}`;
  if (url === `${location.pathname}${location.search}${location.hash}`) return;
  if (mode === 'push') history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  listeners.forEach((l) => l());
}

export function useSearchParam(
  name: string,
): [string | null, (value: string | null, mode?: 'push' | 'replace') => void] {
  const value = useSyncExternalStore(subscribe, () =>
    new URLSearchParams(location.search).get(name),
  );
  const set = useCallback(
    (next: string | null, mode: 'push' | 'replace' = 'push') =>
      setSearchParams((p) => (next === null ? p.delete(name) : p.set(name, next)), mode),
    [name],
  );
  return [value, set];
}
