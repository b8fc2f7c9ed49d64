import { describe, expect, it } from 'vitest';
import { fileRows, fileText, layoutOf, type SourceRow } from './file-rows';

/** A file whose bytes arrive in pieces of `size`, splitting lines and characters anywhere. */
function chunkedFile(text: string, size: number): Blob {
  const bytes = new TextEncoder().encode(text);
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.slice(i, i + size));
  return new Blob(parts);
}

async function rowsOf(blob: Blob, given?: 'lines' | 'array') {
  const layout = given ?? layoutOf(await blob.slice(0, 4096).text());
  const out: SourceRow[] = [];
  let bytes = 0;
  for await (const batch of fileRows(
    fileText(blob, (n) => (bytes = n)),
    layout,
  ))
    out.push(...batch);
  return { rows: out, bytes };
}

describe('JSON Lines', () => {
  it('splits lines across chunk boundaries, drops the BOM and CR, keeps line numbers', async () => {
    const text = '\uFEFF{"a":"ü✓"}\r\n\r\n{"b":2}\r\n{"c":"🥚"}\n';
    for (const size of [1, 2, 3, 7, 4096]) {
      const { rows, bytes } = await rowsOf(chunkedFile(text, size), 'lines');
      expect(rows.map((r) => [r.line, r.text, r.unterminated])).toEqual([
        [1, '{"a":"ü✓"}', false],
        [2, '', false],
        [3, '{"b":2}', false],
        [4, '{"c":"🥚"}', false],
      ]);
      expect(bytes).toBe(new TextEncoder().encode(text).length);
    }
  });

  it('marks a last line without a newline as unterminated', async () => {
    const { rows } = await rowsOf(chunkedFile('{"a":1}\n{"b":', 3), 'lines');
    expect(rows.at(-1)).toEqual({ line: 2, text: '{"b":', unterminated: true });
  });

  it('reads a 5 MB line whole', async () => {
    const big = JSON.stringify({ v: 'x'.repeat(5 << 20) });
    const { rows } = await rowsOf(chunkedFile(`{"a":1}\n${big}\n{"b":2}\n`, 65536), 'lines');
    expect(rows.map((r) => r.text.length)).toEqual([7, big.length, 7]);
    expect(rows[1]!.text).toBe(big);
  });
});

describe('a JSON array file', () => {
  const elements = [
    { instruction: 'a, [b] {c}', output: 'say "hi" \\ ]' },
    { instruction: 'x', input: '', output: 'y\nz' },
  ];

  it('yields each element with the line it starts on, whatever the chunking', async () => {
    const text =
      '\uFEFF[\n  ' + elements.map((e) => JSON.stringify(e, null, 2)).join(',\n  ') + '\n]\n';
    for (const size of [1, 5, 4096]) {
      const { rows } = await rowsOf(chunkedFile(text, size));
      expect(rows.map((r) => JSON.parse(r.text) as unknown)).toEqual(elements);
      expect(rows.map((r) => r.line)).toEqual([2, 6]);
    }
  });

  it('marks an element the file ends inside as unterminated', async () => {
    const { rows } = await rowsOf(chunkedFile('[{"a":1},\n{"b":"cut', 4));
    expect(rows).toEqual([
      { line: 1, text: '{"a":1}', unterminated: false },
      { line: 2, text: '{"b":"cut', unterminated: true },
    ]);
  });

  it('tells the layouts apart by the first character', () => {
    expect(layoutOf('\uFEFF  [{"a":1}]')).toBe('array');
    expect(layoutOf('{"a":1}\n')).toBe('lines');
  });
});
