/**
 * Template text shown with its invisible characters spelled out, so a user can see
 * (and type) the exact newlines a template has: "\n" for a newline, "\t" for a tab,
 * "\\" for a backslash. The two functions are inverses.
 */
export function toVisible(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r');
}

export function fromVisible(text: string): string {
  return text.replace(
    /\\(\\|n|t|r)/g,
    (_, c: string) => ({ '\\': '\\', n: '\n', t: '\t', r: '\r' })[c]!,
  );
}
