import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import type { ImportedRecord, PairRecord } from '../shared/record';
import { pair } from '../test-support/fixtures';
import { freshDatabases } from '../test-support/fresh-db';
import { readCounter } from '../test-support/store-reads';
import { SCHEMA_V5, type MagpieDB, type StoredRecord } from './db';
import {
  getRecord,
  RowsWrittenSince,
  setNearDupSource,
  writeDerived,
  type AssembledRecord,
} from './derived';
import { recordChunks } from './record-chunks';

const openDb = freshDatabases('derived');
const dbName = () => `derived-${crypto.randomUUID()}`;

/** A record as a file gave it: the authors' near-duplicate values in it. */
function imported(datasetId: string, over: Partial<ImportedRecord> = {}): ImportedRecord {
  const { usage: _u, ...base } = pair(datasetId, 'import:file');
  return {
    ...base,
    engine: 'unknown',
    gen_input_configs: {},
    gen_response_configs: {},
    finish: { instruction: 'unknown', response: 'unknown' },
    min_neighbor_distance: 0.123,
    repeat_count: 4,
    min_similar_uuid: 'file-neighbour',
    ...over,
  };
}

/** Every record of a dataset as the keyset iterator gives it (assembled). */
async function readAll(db: MagpieDB, datasetId: string): Promise<AssembledRecord[]> {
  const out: AssembledRecord[] = [];
  for await (const chunk of recordChunks(db, datasetId)) out.push(...chunk);
  return out;
}

const withoutStamps = ({ changedAt: _c, derivedAt: _d, ...r }: AssembledRecord) => r;

describe('derived fields apart from the records', () => {
  it('a database written by the release before (v5, reviews and tags inside the records) opens with nothing lost, and new writes win', async () => {
    const name = dbName();
    const v5 = new Dexie(name);
    v5.version(5).stores(SCHEMA_V5);
    const generated: PairRecord = pair('ds', 'run', {
      createdAt: 1,
      review: 'kept',
      task_category: 'Math',
      task_category_generator: 'judge-model',
      input_quality: 'good',
      quality_explanation: 'clear',
      quality_generator: 'judge-model',
      response_score: 7,
      tag_failure: { task: 'difficulty', raw: 'no', error: 'not a label', generator: 'j', at: 5 },
      // An app pass of that release wrote these into the record.
      min_neighbor_distance: 0.4,
      repeat_count: 1,
      min_similar_uuid: 'other',
    });
    const file = imported('ds', { createdAt: 2, review: 'rejected' });
    const plain = pair('ds', 'run', { createdAt: 3 });
    await v5.table('datasets').add({ id: 'ds', name: 'old', createdAt: 1 });
    await v5.table('records').bulkAdd([generated, file, plain]);
    v5.close();

    const db = openDb(name);
    expect(db.verno).toBe(9);
    const read = await readAll(db, 'ds');
    expect(read.map(withoutStamps)).toEqual([generated, file, plain]);
    expect(withoutStamps((await getRecord(db, generated.uuid))!)).toEqual(generated);

    // New writes go to the derived rows and win over what the old release stored inline.
    await writeDerived(db, 'ds', [
      {
        uuid: generated.uuid,
        fields: { review: 'rejected', tag_failure: null, difficulty: 'hard' },
        nearDup: {
          min_neighbor_distance: 0,
          repeat_count: 2,
          min_similar_uuid: 'x',
          method: 'text',
        },
      },
      {
        uuid: file.uuid,
        nearDup: {
          min_neighbor_distance: 0.9,
          repeat_count: 0,
          min_similar_uuid: file.uuid,
          method: 'text',
        },
      },
    ]);
    const [g, f] = await readAll(db, 'ds');
    expect(g).toMatchObject({
      review: 'rejected',
      difficulty: 'hard',
      task_category: 'Math',
      min_neighbor_distance: 0,
      repeat_count: 2,
      min_similar_uuid: 'x',
    });
    expect(g).not.toHaveProperty('tag_failure');
    expect(f).toMatchObject({ review: 'rejected', min_neighbor_distance: 0.9, repeat_count: 0 });
    // The texts were not rewritten: the records hold what the old release stored.
    expect(await db.records.get(generated.uuid)).toMatchObject({ review: 'kept', repeat_count: 1 });
  });

  it('derived fields survive closing and reopening the database', async () => {
    const name = dbName();
    const db = openDb(name);
    const r = pair('ds', 'run');
    await db.records.add(r);
    const [row] = await writeDerived(db, 'ds', [
      { uuid: r.uuid, fields: { review: 'kept', input_quality: 'excellent' } },
    ]);
    expect(row?.changedAt).toEqual(expect.any(Number));
    db.close();

    const again = openDb(name);
    expect(await getRecord(again, r.uuid)).toMatchObject({
      review: 'kept',
      input_quality: 'excellent',
      instruction: r.instruction,
      derivedAt: row!.changedAt,
    });
  });

  it('a write in chunks reads the keys written since once, not again per chunk, and keeps a row another tab wrote between chunks', async () => {
    // Keys the derived rows' [datasetId+changedAt] index hands out, on this connection.
    let keysRead = 0;
    const name = dbName();
    const db = openDb(name);
    db.use(
      readCounter((read) => {
        const derivedKeys =
          read.kind === 'range' &&
          read.table === 'recordDerived' &&
          read.index === '[datasetId+changedAt]';
        if (derivedKeys) keysRead += read.result.length;
      }),
    );
    const records = Array.from({ length: 600 }, () => pair('ds', 'run-1'));
    await db.records.bulkAdd(records);
    const seen = { since: Date.now(), rowless: () => true };
    const rowsSince = new RowsWrittenSince(seen.since);
    const nearDup = {
      min_neighbor_distance: 0.5,
      repeat_count: 1,
      min_similar_uuid: 'neighbour',
      method: 'text' as const,
    };
    const chunks = 6;
    for (let c = 0; c < chunks; c++) {
      if (c === 3) {
        // Another tab reviews a record of a later chunk before that chunk is written.
        const other = openDb(name);
        await writeDerived(other, 'ds', [{ uuid: records[500]!.uuid, fields: { review: 'kept' } }]);
        other.close();
      }
      const part = records.slice(c * 100, (c + 1) * 100);
      await writeDerived(
        db,
        'ds',
        part.map((r) => ({ uuid: r.uuid, nearDup })),
        seen,
        rowsSince,
      );
    }
    // Each chunk reads the chunk before it and the other tab's row: ~5 x 100 + 1 (a row
    // stamped in the millisecond a search began is read again); searching from the start
    // every time read 100 + 200 + ... + 500 and the row 3 times: 1,503.
    expect(keysRead).toBeLessThanOrEqual(600);
    expect(await getRecord(db, records[500]!.uuid)).toMatchObject({
      review: 'kept',
      min_neighbor_distance: 0.5,
      repeat_count: 1,
    });
    expect(await db.recordDerived.count()).toBe(600);
  });

  it('a derived row is never written for a record that is gone', async () => {
    const db = openDb(dbName());
    const written = await writeDerived(db, 'ds', [{ uuid: 'nobody', fields: { review: 'kept' } }]);
    expect(written).toEqual([]);
    expect(await db.recordDerived.count()).toBe(0);
  });

  it('deleting records deletes their derived rows in the same transaction, by key, by query and by clear()', async () => {
    const db = openDb(dbName());
    const records = Array.from({ length: 6 }, (_, i) =>
      pair(i < 4 ? 'a' : 'b', i % 2 ? 'run-1' : 'run-2', { createdAt: i }),
    );
    await db.records.bulkAdd(records);
    for (const ds of ['a', 'b'])
      await writeDerived(
        db,
        ds,
        records
          .filter((r) => r.datasetId === ds)
          .map((r) => ({ uuid: r.uuid, fields: { review: 'kept' } })),
      );
    expect(await db.recordDerived.count()).toBe(6);

    await db.records.delete(records[0]!.uuid);
    expect(await db.recordDerived.get(records[0]!.uuid)).toBeUndefined();
    expect(await db.recordDeletions.get(records[0]!.uuid)).toBeDefined();

    // A delete that fails rolls its derived rows back with it.
    await expect(
      db.transaction('rw', db.records, async () => {
        await db.records.delete(records[1]!.uuid);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await db.recordDerived.get(records[1]!.uuid)).toBeDefined();

    await db.records.where('datasetId').equals('a').delete();
    expect((await db.recordDerived.toArray()).map((r) => r.uuid).sort()).toEqual(
      [records[4]!.uuid, records[5]!.uuid].sort(),
    );
    await db.records.clear();
    expect(await db.recordDerived.count()).toBe(0);
  });

  it("keeps a file's near-duplicate values beside the app's, and reads the ones the dataset's choice names", async () => {
    const db = openDb(dbName());
    await db.datasets.add({ id: 'ds', name: 'release', createdAt: 1 });
    const file = imported('ds', { createdAt: 1 });
    const unchecked = imported('ds', { createdAt: 2 });
    const generated = pair('ds', 'run', { createdAt: 3 });
    await db.records.bulkAdd([file, unchecked, generated]);
    const app = { min_neighbor_distance: 1, repeat_count: 0, method: 'text' } as const;
    await writeDerived(db, 'ds', [
      { uuid: file.uuid, nearDup: { ...app, min_similar_uuid: file.uuid } },
      { uuid: generated.uuid, nearDup: { ...app, min_similar_uuid: generated.uuid } },
    ]);
    const near = (r: StoredRecord | undefined) =>
      r && [r.min_neighbor_distance, r.repeat_count, r.min_similar_uuid];

    // Default: the app's own where computed, else the file's.
    let [f, u, g] = await readAll(db, 'ds');
    expect([near(f), near(u), near(g)]).toEqual([
      [1, 0, file.uuid],
      [0.123, 4, 'file-neighbour'],
      [1, 0, generated.uuid],
    ]);
    expect(f?.nearDupMethod).toBe('text');

    await setNearDupSource(db, 'ds', 'file');
    [f, u, g] = await readAll(db, 'ds');
    expect([near(f), near(u), near(g)]).toEqual([
      [0.123, 4, 'file-neighbour'],
      [0.123, 4, 'file-neighbour'],
      [undefined, undefined, undefined],
    ]);

    await setNearDupSource(db, 'ds', 'app');
    [f, u, g] = await readAll(db, 'ds');
    expect([near(f), near(u), near(g)]).toEqual([
      [1, 0, file.uuid],
      [undefined, undefined, undefined],
      [1, 0, generated.uuid],
    ]);
    // The file's values are still in the record, as the file gave them.
    expect(near(await db.records.get(file.uuid))).toEqual([0.123, 4, 'file-neighbour']);
  });
});
