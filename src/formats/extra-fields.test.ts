/**
 * An imported row's fields the app has no slot for: kept on the record as the file held
 * them and written back by every export of that format, as the row's own keys in every row
 * (JSONL) or a column of their JSON text (Parquet), read by the strict pyarrow-like loader.
 */
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { ImportFormat } from '../shared/transfer-api';
import { loadStrict } from '../test-support/strict-jsonl';
import { MagpieDB } from '../store/db';
import { exportDataset } from './export-job';
import { openSink } from './export-sink';
import { exportLines, importText, recordsOf, request } from './test-helpers';

let n = 0;
const freshDb = () => new MagpieDB(`extra-fields-${++n}-${Date.now()}`);

/** A row of each format with its conversation (question i). */
const CORE: Record<ImportFormat, (i: number) => Record<string, unknown>> = {
  magpie: (i) => ({ instruction: `Question ${i}?`, response: `Answer ${i}.` }),
  sharegpt: (i) => ({
    conversations: [
      { from: 'human', value: `Question ${i}?` },
      { from: 'gpt', value: `Answer ${i}.` },
    ],
  }),
  openai: (i) => ({
    messages: [
      { role: 'user', content: `Question ${i}?` },
      { role: 'assistant', content: `Answer ${i}.` },
    ],
  }),
  alpaca: (i) => ({ instruction: `Question ${i}?`, input: '', output: `Answer ${i}.` }),
};

/**
 * The file's own fields: a string in every row, a number and a nested value in some rows
 * only (absent from the others), and a declared field the app computes itself.
 */
const EXTRAS = (i: number): Record<string, unknown> => ({
  llama_guard_3: i % 2 ? 'unsafe\nS2' : 'safe',
  ...(i !== 1 && { source_id: 1000 + i }),
  ...(i === 2 && { annotations: { votes: [1, -1], by: 'rater-7' } }),
  instruction_length: 999,
});
const ROWS = 4;
const fileRows = (format: ImportFormat) =>
  Array.from({ length: ROWS }, (_, i) => ({ ...CORE[format](i), ...EXTRAS(i) }));
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** The extra fields as an export must give them back: every name in every row, null if absent. */
const expectedExtras = (i: number) => ({
  llama_guard_3: i % 2 ? 'unsafe\nS2' : 'safe',
  source_id: i !== 1 ? 1000 + i : null,
  annotations: i === 2 ? { votes: [1, -1], by: 'rater-7' } : null,
});

async function imported(format: ImportFormat) {
  const db = freshDb();
  const report = await importText(db, jsonl(fileRows(format)), format);
  expect(report.imported).toBe(ROWS);
  return { db, datasetId: report.datasetId! };
}

describe('extra fields of an imported file', () => {
  it('are kept on the record as the file held them, and named once on the dataset', async () => {
    const { db, datasetId } = await imported('sharegpt');
    const records = await recordsOf(db, datasetId);
    expect(records.map((r) => r.fileExtras)).toEqual(
      fileRows('sharegpt').map(({ conversations: _c, instruction_length: _l, ...rest }) => rest),
    );
    // A declared field (the length the app computes) is the app's, not an extra.
    expect(records.map((r) => r.instruction_length)).toEqual([11, 11, 11, 11]);
    expect((await db.datasets.get(datasetId))?.extraFields).toEqual([
      'llama_guard_3',
      'source_id',
      'annotations',
    ]);
  });

  for (const format of ['magpie', 'sharegpt', 'openai', 'alpaca'] as const)
    it(`go back out in ${format}: the row's own keys in every row, same values, strict loader reads it`, async () => {
      const { db, datasetId } = await imported(format);
      for (const options of [{}, { tags: true, genConfig: true, systemPrompt: true }]) {
        const out = await exportLines(db, request(datasetId, { format, ...options }));
        expect(out.lines).toHaveLength(ROWS);
        out.lines.forEach((row, i) => {
          expect(row).toMatchObject(expectedExtras(i));
          // Known keys keep their own values: the file's stale length does not come back.
          if ('instruction_length' in row) expect(row.instruction_length).toBe(11);
        });
        const keys = out.lines.map((row) => Object.keys(row).join(','));
        expect(new Set(keys).size).toBe(1);
        expect(() => loadStrict(out.text, 1)).not.toThrow();
        // An import of the export gives the same extras back.
        const again = freshDb();
        const report = await importText(again, out.text, format);
        const records = await recordsOf(again, report.datasetId!);
        expect(records.map((r) => r.fileExtras)).toEqual(
          out.lines.map((_, i) => expectedExtras(i)),
        );
      }
    });

  it('are columns of their JSON text in Parquet, and in the card as the loader will read them', async () => {
    const { db, datasetId } = await imported('magpie');
    const sink = await openSink({ kind: 'blob' });
    const result = await exportDataset(
      db,
      { ...request(datasetId, { format: 'magpie', file: 'parquet' }), fileName: 'data.parquet' },
      sink,
      { signal: new AbortController().signal, onProgress: () => undefined },
    );
    const rows = await parquetReadObjects({ file: await result.blob!.arrayBuffer() });
    expect(rows).toHaveLength(ROWS);
    rows.forEach((row, i) => {
      const back = Object.fromEntries(
        Object.keys(expectedExtras(i)).map((k) => [
          k,
          row[k] === null ? null : (JSON.parse(row[k] as string) as unknown),
        ]),
      );
      expect(back).toEqual(expectedExtras(i));
    });
    expect(result.card).toMatch(/- name: llama_guard_3\n {4}dtype: string\n/);
    expect(result.card).toMatch(/- name: annotations\n {4}dtype: string\n/);

    // JSONL: a one-kind extra is stated; a nested one leaves features to the loader.
    const plain = freshDb();
    const scalarOnly = fileRows('magpie').map(({ annotations: _a, ...rest }) => rest);
    const report = await importText(plain, jsonl(scalarOnly), 'magpie');
    const card = (await exportLines(plain, request(report.datasetId!, { format: 'magpie' }))).result
      .card;
    expect(card).toMatch(/- name: source_id\n {4}dtype: int64\n/);
    expect(card).toMatch(/- name: llama_guard_3\n {4}dtype: string\n/);
    const nested = (await exportLines(db, request(datasetId, { format: 'magpie' }))).result.card;
    expect(nested).toContain('dataset_info:\n  splits:');
  });

  it('from a second import into the same dataset join the first ones, null where a row lacks them', async () => {
    const { db, datasetId } = await imported('sharegpt');
    const second = jsonl([{ ...CORE.sharegpt(9), grade: 'A' }]);
    await importText(db, second, 'sharegpt', { kind: 'existing', datasetId });
    expect((await db.datasets.get(datasetId))?.extraFields).toEqual([
      'llama_guard_3',
      'source_id',
      'annotations',
      'grade',
    ]);
    const out = await exportLines(db, request(datasetId, { format: 'sharegpt' }));
    expect(out.lines.map((r) => r.grade)).toEqual([null, null, null, null, 'A']);
    expect(out.lines[4]).toMatchObject({ llama_guard_3: null, source_id: null });
    expect(() => loadStrict(out.text, 1)).not.toThrow();
  });
});
