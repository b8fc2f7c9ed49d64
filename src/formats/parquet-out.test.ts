import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { ExportFormat } from '../shared/transfer-api';
import { pair } from '../test-support/fixtures';
import type { ExportSink } from './export-sink';
import { sessionRecords } from './fixtures/records';
import { ParquetRows } from './parquet-out';
import type { MagpieDB } from '../store/db';
import { exportDataset } from './export-job';
import { openSink } from './export-sink';
import { exportLines, request, seededDb } from './test-helpers';

async function exportParquet(db: MagpieDB, req: ReturnType<typeof request>) {
  const sink = await openSink({ kind: 'blob' });
  const result = await exportDataset(db, { ...req, fileName: 'data.parquet' }, sink, {
    signal: new AbortController().signal,
    onProgress: () => undefined,
  });
  return { result, blob: result.blob! };
}

/** Rows compared as a trainer's loader sees them: an absent field and a null are the same. */
async function parquetRows(blob: Blob): Promise<Record<string, unknown>[]> {
  const file = await blob.arrayBuffer();
  return (await parquetReadObjects({ file })).map((r) => dropNulls(r) as Record<string, unknown>);
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, dropNulls(v)]),
    );
  return value;
}

const TAGS = { tags: true, genConfig: false };

describe('Parquet export', () => {
  const formats: ExportFormat[] = ['magpie', 'sharegpt', 'openai', 'alpaca'];
  for (const format of formats)
    it(`reads back equal to the JSONL export (${format}, with tags and settings)`, async () => {
      const { db, datasetId } = await seededDb((ds) => sessionRecords(ds, 'run'));
      const options = { format, tags: true, genConfig: true, systemPrompt: true };
      const jsonl = await exportLines(db, request(datasetId, options));
      const parquet = await exportParquet(db, request(datasetId, { ...options, file: 'parquet' }));
      expect(parquet.result.rows).toBe(jsonl.lines.length);
      expect(jsonl.lines.length).toBeGreaterThan(0);
      expect(await parquetRows(parquet.blob)).toEqual(jsonl.lines.map(dropNulls));
      expect(parquet.result.bytes).toBe(parquet.blob.size);
    });

  it('streams row group by row group, and lists stay lists for `datasets`', async () => {
    const { db, datasetId } = await seededDb((ds) =>
      Array.from({ length: 6200 }, (_, i) => pair(ds, 'run', { createdAt: i })),
    );
    const jsonl = await exportLines(db, request(datasetId, { format: 'sharegpt' }));
    const parquet = await exportParquet(
      db,
      request(datasetId, { format: 'sharegpt', file: 'parquet' }),
    );
    const file = await parquet.blob.arrayBuffer();
    const meta = parquetMetadata(file);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([5000, 1200]);
    expect(meta.schema.map((e) => e.name)).toEqual([
      'root',
      'conversations',
      'list',
      'element',
      'from',
      'value',
    ]);
    expect(meta.schema[1]).toMatchObject({ converted_type: 'LIST' });
    expect(await parquetRows(parquet.blob)).toEqual(jsonl.lines.map(dropNulls));
  }, 60_000);

  it('every column takes its declared type: a tag failure or a whole reward first seen in a later group fits', async () => {
    const failure = {
      task: 'difficulty',
      raw: 'hardish',
      error: 'not a label',
      generator: 'm',
      at: 1,
    };
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    const sink: ExportSink = {
      write: async (b) => void chunks.push(Uint8Array.from(b)),
      close: async () => undefined,
      abort: async () => undefined,
    };
    const out = new ParquetRows(sink, TAGS, 2);
    await out.add([
      { instruction: 'a', tag_failure: null, instruct_reward: null },
      { instruction: 'b', tag_failure: null, instruct_reward: null },
    ]);
    await out.add([
      { instruction: 'c', tag_failure: failure, instruct_reward: -3.5 },
      { instruction: 'd', tag_failure: null, instruct_reward: 2 },
    ]);
    await out.close();
    const rows = await parquetRows(new Blob(chunks));
    expect(rows).toEqual([
      { instruction: 'a' },
      { instruction: 'b' },
      { instruction: 'c', tag_failure: failure, instruct_reward: -3.5 },
      { instruction: 'd', instruct_reward: 2 },
    ]);
  });

  it('stops with the field named when a later row brings one the first rows lacked', async () => {
    const writes: number[] = [];
    const sink: ExportSink = {
      write: async (b) => void writes.push(b.byteLength),
      close: async () => undefined,
      abort: async () => undefined,
    };
    const out = new ParquetRows(sink, TAGS, 2);
    await out.add([{ a: 'x' }, { a: 'y' }]);
    expect(writes.length).toBeGreaterThan(0); // the first group left before the next came
    await expect(out.add([{ a: 'z', score: 3 }, { a: 'w' }])).rejects.toThrow(
      /Row 3 brings the field "score"/,
    );
  });
});
