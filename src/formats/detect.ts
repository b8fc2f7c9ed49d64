/**
 * Which of the four formats a file is in, from its first valid rows: every format reads
 * each sampled row, and the one that reads most of them wins. Magpie comes first on a tie
 * because a Magpie row also carries ShareGPT's `conversations`. The user confirms or picks.
 */
import { IMPORT_FORMATS, type ImportFormat, type SniffResult } from '../shared/transfer-api';
import { fileRows, fileText, layoutOf } from './file-rows';
import { parseRow } from './from-row';

/** Rows looked at; a few dozen tell formats apart and keep the look quick. */
const SAMPLE = 50;
/** Stop looking after this much of a file that is mostly not valid rows. */
const MAX_BYTES = 32 << 20;

export function detectFormat(values: unknown[]): Pick<SniffResult, 'detected' | 'matches'> {
  const matches = Object.fromEntries(IMPORT_FORMATS.map((f) => [f, 0])) as Record<
    ImportFormat,
    number
  >;
  for (const value of values) {
    for (const format of IMPORT_FORMATS) if (parseRow(format, value).ok) matches[format]++;
  }
  let detected: ImportFormat | undefined;
  for (const format of IMPORT_FORMATS) {
    if (matches[format] > 0 && matches[format] > (detected ? matches[detected] : 0)) {
      detected = format;
    }
  }
  return { detected, matches };
}

export async function sniffFile(file: File): Promise<SniffResult> {
  const layout = layoutOf(await file.slice(0, 4096).text());
  const values: unknown[] = [];
  let bytes = 0;
  const text = fileText(file, (n) => (bytes = n));
  outer: for await (const rows of fileRows(text, layout)) {
    for (const row of rows) {
      if (!row.text.trim()) continue;
      try {
        const value: unknown = JSON.parse(row.text);
        if (value && typeof value === 'object' && !Array.isArray(value)) values.push(value);
      } catch {
        // Not a valid row: detection looks at valid ones only.
      }
      if (values.length >= SAMPLE) break outer;
    }
    if (bytes > MAX_BYTES) break;
  }
  const { detected, matches } = detectFormat(values);
  const first = detected && values.find((v) => parseRow(detected, v).ok);
  const parsed = first ? parseRow(detected, first) : undefined;
  const turns = parsed?.ok ? parsed.row.turns : undefined;
  return {
    fileName: file.name,
    size: file.size,
    layout,
    detected,
    matches,
    sampled: values.length,
    preview: turns && {
      instruction: turns.find((t) => t.from === 'human')?.value.slice(0, 500) ?? '',
      response: turns.find((t) => t.from === 'gpt')?.value.slice(0, 500) ?? '',
      turns: turns.filter((t) => t.from === 'human').length,
    },
  };
}
