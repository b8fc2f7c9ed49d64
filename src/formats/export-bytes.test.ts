/**
 * The export job writes exactly the bytes a plain writer would: the records looked up by
 * uuid (getRecords: each derived row found by itself, not a chunk's at once), made rows by
 * toRow and written value by value from the field schema. The job streams chunks (the next
 * one read while one is written) and writes rows with json-line.ts; a dataset mixing
 * generated, imported, edited, deleted, preference and derived records must not tell the
 * two apart in any format or near-duplicate choice.
 */
import { describe, expect, it } from 'vitest';
import type { GeneratedRecord, PairRecord } from '../shared/record';
import { FILE_COLUMNS, type JsonType } from '../shared/record-schema';
import type { ExportOptions } from '../shared/transfer-api';
import { getRecords, setNearDupSource, writeDerived } from '../store/derived';
import type { StoredRecord } from '../store/db';
import { deleteStored, putRecord } from '../store/records';
import { pair } from '../test-support/fixtures';
import { sessionRecords } from './fixtures/records';
import { exportLines, importText, recordsOf, request, seededDb } from './test-helpers';
import { rowJson, toRow } from './to-row';

/** Every value by its declared type, spelled out: floats with a decimal point, nulls kept. */
function plainJson(value: unknown, type: JsonType | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (type?.kind === 'float' && typeof value === 'number')
    return Number.isInteger(value) && Math.abs(value) < 1e21
      ? `${String(value)}.0`
      : JSON.stringify(value);
  if (type?.kind === 'list' && Array.isArray(value))
    return `[${value.map((v) => plainJson(v, type.of)).join(',')}]`;
  if (type?.kind === 'struct') return plainObject(value as Record<string, unknown>, type.fields);
  return JSON.stringify(value);
}

function plainObject(value: Record<string, unknown>, fields: Record<string, { type: JsonType }>) {
  const parts = Object.keys(value).map(
    (k) => `${JSON.stringify(k)}:${plainJson(value[k], fields[k]?.type)}`,
  );
  return `{${parts.join(',')}}`;
}

const fileLine = (i: number) =>
  JSON.stringify({
    uuid: `file-${i}`,
    model: 'meta-llama/Meta-Llama-3-8B-Instruct',
    gen_input_configs: { temperature: 1, top_p: i % 2 ? 1 : 0.99, seed: i },
    instruction: `Question ${i}: «${'ü'.repeat(i)}» and a tab\there?`,
    response: `Answer ${i} with "quotes", a \\ backslash and an emoji 🙂.`,
    conversations:
      i === 3
        ? [
            { from: 'system', value: 'Be brief.' },
            { from: 'human', value: `Question ${i}: «${'ü'.repeat(i)}» and a tab\there?` },
            { from: 'gpt', value: `Answer ${i} with "quotes", a \\ backslash and an emoji 🙂.` },
            { from: 'human', value: 'And again?' },
            { from: 'gpt', value: 'Again.' },
          ]
        : undefined,
    task_category: i % 3 ? 'Math' : 'Reasoning',
    instruct_reward: i % 2 ? 2 : -1.25,
    min_neighbor_distance: i % 2 ? 0 : 0.5,
    repeat_count: i % 4,
    min_similar_uuid: i % 2 ? `file-${i - 1}` : null,
    source_dataset: i % 2 ? `part-${i}` : undefined,
    weights: [1, 2.5],
  });

/** A preference run's record: scores with and without a decimal part, one unscored. */
function preferenceRecord(base: GeneratedRecord): GeneratedRecord {
  const response = (text: string, score?: number) => ({
    text,
    seed: 1,
    finish: 'stop' as const,
    ...(score !== undefined && { score }),
  });
  return {
    ...base,
    response: 'Chosen.',
    conversations: [
      { from: 'human', value: base.instruction },
      { from: 'gpt', value: 'Chosen.' },
    ],
    preference: {
      responses: [response('Chosen.', 9), response('Rejected.', 2.5), response('Dropped.')],
      chosen: 0,
      rejected: 1,
      generator: 'judge-model',
    },
  };
}

/** Generated rows and imported packs; `more` of each makes several chunks of 1,000. */
async function mixedDataset(more = 0) {
  const { db, datasetId } = await seededDb((ds) => [
    ...sessionRecords(ds, 'run-1'),
    preferenceRecord(pair(ds, 'run-3', { createdAt: Date.UTC(2025, 5, 1, 12) })),
    ...Array.from({ length: more }, (_, i) =>
      pair(ds, 'run-2', { createdAt: Date.UTC(2025, 5, 2) + i }),
    ),
  ]);
  const lines = 12 + more;
  const report = await importText(
    db,
    Array.from({ length: lines }, (_, i) => fileLine(i)).join('\n'),
    'magpie',
    { kind: 'existing', datasetId },
  );
  expect(report).toMatchObject({ imported: lines, skipped: 0 });
  const stored = await recordsOf(db, datasetId);
  const packed = stored.filter((r) => r.uuid.startsWith('file-'));
  // A packed record edited (it leaves its pack for a row) and one deleted (its pack is
  // written again without it).
  const edited = packed.find((r) => r.uuid === 'file-2')!;
  await putRecord(db, {
    ...edited,
    edited: { instruction: 'An edited question?', at: Date.UTC(2025, 6, 1) },
  } as StoredRecord);
  await deleteStored(db, ['file-5']);
  // Derived rows: the app's near-duplicates, a review, a judge's tag, a tag cleared.
  await writeDerived(db, datasetId, [
    ...stored.slice(0, 8).map((r, i) => ({
      uuid: r.uuid,
      nearDup: {
        min_neighbor_distance: i % 2 ? 1 : 0.25,
        repeat_count: i,
        min_similar_uuid: stored[0]!.uuid,
        method: 'text' as const,
      },
    })),
    { uuid: packed[0]!.uuid, fields: { review: 'rejected', input_quality: 'good' } },
    { uuid: stored[1]!.uuid, fields: { task_category: null, response_score: 7 } },
  ]);
  return { db, datasetId };
}

/** The plain writer over the records looked up by uuid (each with its own derived row). */
async function plainExport(
  db: Awaited<ReturnType<typeof mixedDataset>>['db'],
  datasetId: string,
  options: ExportOptions,
): Promise<string> {
  const order = (await recordsOf(db, datasetId)).map((r) => r.uuid);
  const dataset = await db.datasets.get(datasetId);
  const rowOptions = { ...options, extraFields: dataset?.extraFields ?? [] };
  let text = '';
  for (const record of await getRecords(db, order)) {
    const out = toRow(record as PairRecord, rowOptions);
    if (out.ok) text += `${plainObject(out.row, FILE_COLUMNS)}\n`;
  }
  return text;
}

const OPTION_SETS: Partial<ExportOptions>[] = [
  { format: 'magpie', tags: true, genConfig: true },
  { format: 'magpie', text: 'original' },
  { format: 'sharegpt', systemPrompt: true, tags: true },
  { format: 'openai', genConfig: true },
  { format: 'alpaca', systemPrompt: true, tags: true },
  { format: 'trl-preference', systemPrompt: true },
  { format: 'magpie-preference', tags: true, genConfig: true },
];

describe('export bytes', () => {
  it('equal a plain record-at-a-time writer for a mixed dataset, in every format, for each near-duplicate choice', async () => {
    const { db, datasetId } = await mixedDataset();
    for (const source of ['auto', 'file', 'app'] as const) {
      await setNearDupSource(db, datasetId, source);
      for (const options of OPTION_SETS) {
        const req = request(datasetId, options);
        const { text } = await exportLines(db, req);
        expect(text, `${source} ${JSON.stringify(options)}`).toBe(
          await plainExport(db, datasetId, req.options),
        );
      }
    }
    // The mix is what it claims: rows and packs, an edit, a delete, floats written as floats.
    const { text } = await exportLines(db, request(datasetId, { format: 'magpie' }));
    expect(text).toContain('"instruction":"An edited question?"');
    expect(text).not.toContain('"uuid":"file-5"');
    expect(text).toContain('"top_p":1.0');
    expect(text).toContain('"source_dataset":"part-1"');
  });

  it('write a list member left undefined as null, as the plain writer does', () => {
    const row = {
      conversations: [{ from: 'gpt', value: undefined }],
      rewards_judge: [{ score: 9 }, { score: null }],
    };
    expect(rowJson(row)).toBe(plainObject(row, FILE_COLUMNS));
    expect(rowJson(row)).toBe(
      '{"conversations":[{"from":"gpt","value":null}],"rewards_judge":[{"score":9.0},{"score":null}]}',
    );
  });

  it('equal it across chunks (the next chunk read while one is written)', async () => {
    const { db, datasetId } = await mixedDataset(1500);
    const req = request(datasetId, { format: 'magpie', tags: true, genConfig: true });
    const { text, result } = await exportLines(db, req);
    expect(result.rows).toBeGreaterThan(3000);
    expect(text).toBe(await plainExport(db, datasetId, req.options));
  });
});
