/** Numbers as the quality view prints them: grouped digits, plural words. */
export const n = (x: number) => x.toLocaleString('en');

/** "1 record", "2 records" (or the given plural). */
export function count(x: number, one: string, many = `${one}s`): string {
  return `${n(x)} ${x === 1 ? one : many}`;
}
