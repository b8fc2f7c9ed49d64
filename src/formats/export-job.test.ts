import { describe, expect, it } from 'vitest';
import type { ExportProgress } from '../shared/transfer-api';
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
