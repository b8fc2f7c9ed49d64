import { useLiveQuery } from 'dexie-react-hooks';

/**
 * A live read of what belongs to one thing (a dataset, a record), answering undefined until
 * the read for the current one has answered. useLiveQuery alone keeps answering the previous
 * read while the new one runs: a view would show the dataset (or record) just switched away
 * from, and let the user act on it (resume its run, edit it, export it) as if it were the
 * current one. `deps` are the read's other inputs (a page number).
 */
export function useLiveOf<K extends string, T>(
  key: K | undefined,
  read: (key: K) => Promise<T>,
  deps: readonly unknown[] = [],
): T | undefined {
  const answer = useLiveQuery(
    async () => (key === undefined ? undefined : { key, value: await read(key) }),
    // The read is called with the key; what else it uses is in deps, as with useLiveQuery.
    [key, ...deps],
  );
  return answer && answer.key === key ? answer.value : undefined;
}
