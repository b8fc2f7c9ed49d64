import { describe, expect, it } from 'vitest';
import { pair } from '../test-support/fixtures';
import { recordChunks } from './record-chunks';
import type { PairRecord } from '../shared/record';
import { MagpieDB } from './db';

async function seededDb(records: (datasetId: string) => PairRecord[]) {
  const db = new MagpieDB(`chunks-${crypto.randomUUID()}`);
  const datasetId = 'ds';
  const rows = records(datasetId);
  await db.records.bulkAdd(rows);
  return { db, datasetId, records: rows };
}

describe('recordChunks', () => {
  it('returns every record once, in creation order, when many share a createdAt', async () => {
    // Runs of equal createdAt longer than a chunk, across chunk boundaries.
    const times = [1, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6];
    const { db, datasetId, records } = await seededDb((ds) =>
      times.map((t) => pair(ds, 'run', { createdAt: t })),
    );
    await db.records.add(pair('other-dataset', 'run', { createdAt: 3 }));
    const expected = [...records]
      .sort((a, b) => a.createdAt - b.createdAt || (a.uuid < b.uuid ? -1 : 1))
      .map((r) => r.uuid);
    for (const size of [1, 2, 3, 5, 100]) {
      const seen: string[] = [];
      for await (const chunk of recordChunks(db, datasetId, size)) {
        expect(chunk.length).toBeLessThanOrEqual(size);
        seen.push(...chunk.map((r) => r.uuid));
      }
      expect(seen).toEqual(expected);
    }
  });

  it('starts at a createdAt (inclusive) and pages the rest once', async () => {
    const times = [1, 2, 2, 2, 3, 3, 4];
    const { db, datasetId, records } = await seededDb((ds) =>
      times.map((t) => pair(ds, 'run', { createdAt: t })),
    );
    const expected = records
      .filter((r) => r.createdAt >= 2)
      .sort((a, b) => a.createdAt - b.createdAt || (a.uuid < b.uuid ? -1 : 1))
      .map((r) => r.uuid);
    const seen: string[] = [];
    for await (const chunk of recordChunks(db, datasetId, 2, 2))
      seen.push(...chunk.map((r) => r.uuid));
    expect(seen).toEqual(expected);
  });

  it('yields nothing for an empty dataset', async () => {
    const { db, datasetId } = await seededDb(() => []);
    const chunks = [];
    for await (const chunk of recordChunks(db, datasetId)) chunks.push(chunk);
    expect(chunks).toEqual([]);
  });
});
