import { describe, expect, it } from 'vitest';
import { pair } from '../test-support/fixtures';
import { readCounter } from '../test-support/store-reads';
import { recordChunks } from './record-chunks';
import type { PairRecord } from '../shared/record';
import { MagpieDB } from './db';
import { getRecords, writeDerived, type AssembledRecord } from './derived';
import { storePacks } from './packs';

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

  it('overlays packed and row records with their derived rows, in a whole read (one range read) and a read from a time alike', async () => {
    const { db, datasetId } = await seededDb((ds) =>
      Array.from({ length: 7 }, (_, i) => pair(ds, 'run', { createdAt: 100 + i })),
    );
    await db.datasets.add({ id: datasetId, name: 'mixed', createdAt: 1 });
    await storePacks(
      db,
      Array.from({ length: 9 }, (_, i) => pair(datasetId, 'import:x', { createdAt: 10 + i })),
      4,
    );
    const all: AssembledRecord[] = [];
    for await (const chunk of recordChunks(db, datasetId, 3, -Infinity, { raw: true }))
      all.push(...chunk);
    const uuids = all.map((r) => r.uuid);
    // Rows for every other record: a review, tags, the app's near-duplicate values.
    await writeDerived(
      db,
      datasetId,
      uuids
        .filter((_, i) => i % 2 === 0)
        .map((uuid, i) => ({
          uuid,
          fields: { review: i % 3 ? 'kept' : 'rejected', difficulty: 'hard' },
          nearDup: {
            min_neighbor_distance: i / 10,
            repeat_count: i,
            min_similar_uuid: uuid,
            method: 'text',
          },
        })),
    );
    const expected = await getRecords(db, uuids);
    expect(expected.filter((r) => r?.nearDupMethod === 'text')).toHaveLength(8);

    let derivedReads = 0;
    let perRecord = 0;
    const counted = new MagpieDB(db.name);
    counted.use(
      readCounter((read) => {
        if (read.table !== 'recordDerived') return;
        if (read.kind === 'get' || read.kind === 'getMany') perRecord += read.keys;
        else derivedReads++;
      }),
    );
    const whole: AssembledRecord[] = [];
    for await (const chunk of recordChunks(counted, datasetId, 3)) whole.push(...chunk);
    expect(whole).toEqual(expected);
    expect({ derivedReads, perRecord }).toEqual({ derivedReads: 1, perRecord: 0 });

    const from: AssembledRecord[] = [];
    for await (const chunk of recordChunks(counted, datasetId, 3, 14)) from.push(...chunk);
    expect(from).toEqual(expected.filter((r) => r!.createdAt >= 14));
  });

  it('yields nothing for an empty dataset', async () => {
    const { db, datasetId } = await seededDb(() => []);
    const chunks = [];
    for await (const chunk of recordChunks(db, datasetId)) chunks.push(chunk);
    expect(chunks).toEqual([]);
  });
});
