import { readCounter } from '../test-support/store-reads';
import { describe, expect, it } from 'vitest';
import type { ExportProgress } from '../shared/transfer-api';
import { MagpieDB } from '../store/db';
import { writeDerived } from '../store/derived';
import { pair } from '../test-support/fixtures';
import { exportDataset } from './export-job';
import type { ExportSink } from './export-sink';
import { sessionRecords } from './fixtures/records';
import { exportLines, request, seededDb } from './test-helpers';

describe('exportDataset', () => {
  it('reports progress chunk by chunk and stops on cancel without finishing the file', async () => {
    const { db, datasetId } = await seededDb((ds) =>
      Array.from({ length: 2500 }, (_, i) => pair(ds, 'run', { createdAt: i })),
    );
    const events: string[] = [];
    const sink: ExportSink = {
      write: async (bytes) => void events.push(`write ${bytes.byteLength > 0}`),
      close: async () => {
        events.push('close');
        return undefined;
      },
      abort: async () => void events.push('abort'),
    };
    const controller = new AbortController();
    const progress: ExportProgress[] = [];
    const result = await exportDataset(db, request(datasetId, { format: 'openai' }), sink, {
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        controller.abort();
      },
    });
    expect(result).toMatchObject({ cancelled: true, rows: 0 });
    expect(events).toEqual(['write true', 'abort']);
    expect(progress).toEqual([
      { read: 1000, total: 2500, written: 1000, bytes: expect.any(Number) },
    ]);
  });

  it("reads the dataset's derived rows as one range, not one request per record, and writes each record's", async () => {
    const { db, datasetId } = await seededDb((ds) =>
      Array.from({ length: 2500 }, (_, i) => pair(ds, 'run', { createdAt: i })),
    );
    const uuids = (await db.records.toCollection().primaryKeys()) as string[];
    await writeDerived(
      db,
      datasetId,
      uuids.map((uuid, i) => ({ uuid, fields: { review: i % 2 ? 'kept' : 'rejected' } })),
    );
    let asked = 0;
    const count = readCounter((read) => {
      if (read.table === 'recordDerived' && (read.kind === 'get' || read.kind === 'getMany'))
        asked += read.keys;
    });
    const counted = new MagpieDB(db.name);
    counted.use(count);
    const { lines } = await exportLines(
      counted,
      request(datasetId, { format: 'magpie', tags: true }),
    );
    expect(asked).toBe(0);
    const byUuid = new Map(lines.map((l) => [l.uuid, l.review]));
    expect(uuids.map((uuid) => byUuid.get(uuid))).toEqual(
      uuids.map((_, i) => (i % 2 ? 'kept' : 'rejected')),
    );
  });

  it('lists the multi-turn records Alpaca cannot hold instead of cutting them', async () => {
    const { db, datasetId } = await seededDb((ds) => sessionRecords(ds, 'run'));
    const { result, lines } = await exportLines(db, request(datasetId, { format: 'alpaca' }));
    expect(lines).toHaveLength(4);
    expect(result.notExportable).toEqual({
      count: 1,
      examples: [
        {
          uuid: expect.any(String),
          instruction: 'What is 2 + 2?',
          reason: expect.stringContaining('multi-turn'),
        },
      ],
    });
    expect(result.card).toContain('1 matching records left out');
  });
});
