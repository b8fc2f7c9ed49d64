import { afterEach, describe, expect, it } from 'vitest';
import type { PairRecord } from '../../shared/record';
import { MagpieDB } from '../../store/db';
import { pair } from '../../test-support/fixtures';
import { qualityOn } from '../test-quality';
import { TextDedup } from './text-dedup';
import { allRecords } from '../../test-support/stored';
import { getRecord } from '../../store/derived';

const dbs: MagpieDB[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function open() {
  const db = new MagpieDB(`dedup-${crypto.randomUUID()}`);
  dbs.push(db);
  return db;
}

const SORT2 = 'How do I sort a list of 2 numbers in Python?';
const SORT3 = 'How do I sort a list of 3 numbers in Python?';
const HAIKU = 'Write a haiku about autumn leaves falling in a quiet park.';
const rec = (uuid: string, instruction: string, createdAt: number): PairRecord =>
  pair('ds', 'run', { uuid, instruction, createdAt });

async function fields(db: MagpieDB) {
  const out: Record<string, [number | undefined, number | undefined, string | undefined]> = {};
  for (const r of await allRecords(db)) {
    out[r.uuid] = [r.min_neighbor_distance, r.repeat_count, r.min_similar_uuid];
  }
  return out;
}

describe('near-duplicates over a stored dataset', () => {
  it('one pass stores the three fields on every record', async () => {
    const db = open();
    await db.records.bulkAdd([
      rec('a', SORT2, 1),
      rec('b', HAIKU, 2),
      rec('c', SORT3, 3),
      rec('d', SORT2, 4),
    ]);
    const result = await new TextDedup(db, 'ds', 0.3).fullPass();
    expect(result).toMatchObject({
      method: 'text',
      records: 4,
      updated: 4,
      clusters: 1,
      duplicates: 2,
    });
    const f = await fields(db);
    expect(f.a).toEqual([0, 2, 'a']);
    expect(f.d).toEqual([0, 2, 'a']);
    expect(f.c?.[1]).toBe(2);
    expect(f.c?.[2]).toBe('a');
    expect(f.b).toEqual([1, 0, 'b']);
  });

  it('reads records sharing one timestamp across page boundaries', async () => {
    const db = open();
    const many = Array.from({ length: 4500 }, (_, i) =>
      rec(`r${i}`, `Unique question number ${i * 7919} about topic ${i}?`, 5),
    );
    await db.records.bulkAdd(many);
    expect(await new TextDedup(db, 'ds', 0.3).fullPass()).toMatchObject({ records: 4500 });
  });

  it('catching up writes the new records and only the old ones they change', async () => {
    const db = open();
    await db.records.bulkAdd([rec('a', SORT2, 1), rec('b', HAIKU, 2)]);
    const dedup = new TextDedup(db, 'ds', 0.3);
    expect(await dedup.catchUp()).toMatchObject({ records: 2, updated: 2 });

    await db.records.add(rec('c', SORT3, 3));
    const before = (await getRecord(db, 'b'))!;
    expect(await dedup.catchUp()).toMatchObject({ records: 3, updated: 2 }); // c, and a (now repeated)
    expect(await getRecord(db, 'b')).toEqual(before);
    expect((await fields(db)).c?.[2]).toBe('a');
    expect((await dedup.catchUp())?.updated).toBe(0);
  });

  it('a new worker indexes records that already have fields without rewriting them', async () => {
    const db = open();
    // Fields as a semantic pass might have left them.
    await db.records.bulkAdd([
      {
        ...rec('a', SORT2, 1),
        min_neighbor_distance: 0.42,
        repeat_count: 0,
        min_similar_uuid: 'a',
      },
      { ...rec('b', HAIKU, 2), min_neighbor_distance: 0.9, repeat_count: 0, min_similar_uuid: 'b' },
      rec('c', 'Explain the difference between a Roth IRA and a traditional IRA.', 3),
    ]);
    const result = await new TextDedup(db, 'ds', 0.3).catchUp();
    expect(result).toMatchObject({ records: 3, updated: 1 });
    const f = await fields(db);
    expect(f.a).toEqual([0.42, 0, 'a']);
    expect(f.c).toEqual([1, 0, 'c']);
  });

  it('rebuilds when records were deleted behind its back', async () => {
    const db = open();
    await db.records.bulkAdd([rec('a', SORT2, 1), rec('b', SORT3, 2)]);
    const dedup = new TextDedup(db, 'ds', 0.3);
    await dedup.fullPass();
    await db.records.delete('a');
    await db.records.add(rec('c', HAIKU, 3));
    expect(await dedup.catchUp()).toMatchObject({ records: 2 });
  });
});

describe('the quality service', () => {
  it('runs passes one at a time and coalesces catch-ups', async () => {
    const db = open();
    await db.records.bulkAdd([rec('a', SORT2, 1), rec('b', SORT3, 2)]);
    const service = await qualityOn(db);
    const full = service.findDuplicates('ds', { method: 'text', threshold: 0.3 });
    const one = service.catchUp('ds');
    const two = service.catchUp('ds');
    expect(one).toBe(two);
    expect(await full).toMatchObject({ ok: true, value: { records: 2, updated: 2 } });
    expect(await one).toMatchObject({ ok: true, value: { updated: 0 } });
    expect(await service.summary('ds')).toMatchObject({
      ok: true,
      value: { records: 2, dedupChecked: 2, clusters: 1, duplicates: 1 },
    });
  });
});
