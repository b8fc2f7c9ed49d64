/**
 * Markdown pieces of the dataset card. Model text, names and templates are untrusted, so
 * they always go out as code spans (with their newlines spelled out) and never as markdown
 * of their own.
 */
import { toVisible } from '../shared/templates/visible';
import type { Counts, LengthSummary } from './export-stats';

/** Inline code that survives any backticks inside it. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Text in a table cell: as code, with pipes and newlines that would break the row escaped. */
export const cell = (text: string) => code(toVisible(text).replace(/\|/g, '\\|'));

export function table(head: string[], rows: (string | number)[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function distribution(title: string, counts: Counts, total: number, none: string): string {
  const rows = [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([value, n]) => [value ? cell(value) : none, n, `${((n / total) * 100).toFixed(1)}%`]);
  return `### ${title}\n\n${table(['value', 'rows', 'share'], rows)}\n`;
}

export function lengths(instruction?: LengthSummary, response?: LengthSummary): string {
  const row = (name: string, s?: LengthSummary) =>
    s ? [name, s.min, s.median, Math.round(s.mean), s.p90, s.max] : [name, '-', '-', '-', '-', '-'];
  return table(
    ['characters', 'min', 'median', 'mean', 'p90', 'max'],
    [row('instruction', instruction), row('response', response)],
  );
}
