import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { CHATML, pair, settings } from '../test-support/fixtures';
import { createDataset, deleteDataset, listDatasets } from './datasets';
import { MagpieDB, SCHEMA_V1, SCHEMA_V7, changeClock } from './db';
import { getRecords, writeDerived } from './derived';
import { makePack } from './packs';
import { countRecords, deleteStored, recentRecords } from './records';
import { commitPairs, createRun, getRun, markInterruptedRuns } from './runs';

const open: Dexie[] = [];
function freshDb(): MagpieDB {
  const db = new MagpieDB(`test-${crypto.randomUUID()}`);
  open.push(db);
  return db;
}
afterEach(async () => {
  for (const db of open.splice(0)) await db.delete();
});

async function newRun(db: MagpieDB, datasetId: string) {
  return createRun(db, {
    datasetId,
    engine: { kind: 'server', baseUrl: 'http://x', model: 'm', concurrency: 1 },
    model: 'm',
    template: CHATML,
    settings: settings(),
  });
}

describe('store', () => {
  it('keeps datasets apart and deletes one with its runs and records', async () => {
    const db = freshDb();
    const a = await createDataset(db, 'math');
    const b = await createDataset(db, 'code');
    const run = await newRun(db, a.id);
    await commitPairs(db, run.id, [pair(a.id, run.id), pair(a.id, run.id)], {
      made: 2,
      attempts: 2,
      dropped: {},
    });
    expect(await countRecords(db, a.id)).toBe(2);
    expect(await countRecords(db, b.id)).toBe(0);
    await deleteDataset(db, a.id);
    expect((await listDatasets(db)).map((d) => d.name)).toEqual(['code']);
    expect(await db.records.count()).toBe(0);
    expect(await db.runs.count()).toBe(0);
  });

  it('stores pairs and the run counters together, or neither', async () => {
    const db = freshDb();
    const ds = await createDataset(db, 'd');
    const run = await newRun(db, ds.id);
    const first = pair(ds.id, run.id);
    await commitPairs(db, run.id, [first], { made: 1, attempts: 3, dropped: { empty: 2 } });
    // A second batch holding a duplicate key fails as a whole: the counters don't move.
    await expect(
      commitPairs(db, run.id, [pair(ds.id, run.id), { ...first }], {
        made: 3,
        attempts: 5,
        dropped: {},
      }),
    ).rejects.toThrow();
    expect(await countRecords(db, ds.id)).toBe(1);
    expect(await getRun(db, run.id)).toMatchObject({ made: 1, attempts: 3, dropped: { empty: 2 } });
  });

  it('lists records newest first, a page at a time', async () => {
    const db = freshDb();
    const ds = await createDataset(db, 'd');
    const run = await newRun(db, ds.id);
    const pairs = [1, 2, 3, 4, 5].map((i) => pair(ds.id, run.id, { createdAt: i }));
    await commitPairs(db, run.id, pairs, { made: 5, attempts: 5, dropped: {} });
    const page = await recentRecords(db, ds.id, 2, 1);
    expect(page.map((r) => r.createdAt)).toEqual([4, 3]);
  });

  it('marks runs left running by a closed tab as interrupted, but not live ones', async () => {
    const db = freshDb();
    const ds = await createDataset(db, 'd');
    const dead = await newRun(db, ds.id);
    const live = await newRun(db, ds.id);
    await db.runs.update(dead.id, { status: 'running' });
    await db.runs.update(live.id, { status: 'running' });
    expect(await markInterruptedRuns(db, (id) => id === live.id)).toBe(1);
    expect((await getRun(db, dead.id))?.status).toBe('interrupted');
    expect((await getRun(db, live.id))?.status).toBe('running');
  });

  it('opens a version-1 database without losing a row and backfills the review status', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const v1 = new Dexie(name);
    v1.version(1).stores(SCHEMA_V1);
    const { review: _omit, ...oldRecord } = pair('ds', 'run');
    await v1.table('datasets').add({ id: 'ds', name: 'old', createdAt: 1 });
    await v1.table('records').add(oldRecord);
    v1.close();

    const db = new MagpieDB(name);
    open.push(db);
    const [record] = await db.records.toArray();
    expect(record).toMatchObject({
      uuid: oldRecord.uuid,
      instruction: oldRecord.instruction,
      review: 'unreviewed',
    });
    expect(await db.records.where('[datasetId+review]').equals(['ds', 'unreviewed']).count()).toBe(
      1,
    );
    expect(db.verno).toBe(9);
  });
  it('opens a database of the release before (v7) with nothing lost, its change clock above every stamp stored, even with the wall clock behind them', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const v7 = new Dexie(name);
    v7.version(7).stores(SCHEMA_V7);
    // Stamped by a wall clock an hour ahead of this one (since set back).
    const ahead = Date.now() + 3_600_000;
    const row = { ...pair('ds', 'run', { createdAt: 1 }), changedAt: ahead };
    const packed = pair('ds', 'import', { createdAt: 2 });
    const { pack, body } = makePack([packed]);
    const derived = {
      uuid: row.uuid,
      datasetId: 'ds',
      fields: { review: 'kept' },
      changedAt: ahead + 5,
    };
    await v7.table('datasets').add({ id: 'ds', name: 'old', createdAt: 1 });
    await v7.table('records').add(row);
    await v7.table('recordPacks').add({ ...pack, changedAt: ahead + 2 });
    await v7.table('packBodies').add(body);
    await v7.table('recordDerived').add(derived);
    await v7.table('recordDeletions').add({ uuid: 'gone', at: ahead + 9 });
    v7.close();

    const db = new MagpieDB(name);
    open.push(db);
    const [read, readPacked] = await getRecords(db, [row.uuid, packed.uuid]);
    expect(read).toMatchObject({ ...row, review: 'kept' });
    expect(readPacked).toMatchObject({ uuid: packed.uuid, instruction: packed.instruction });
    expect(await db.recordDeletions.get('gone')).toEqual({ uuid: 'gone', at: ahead + 9 });
    expect(db.verno).toBe(9);
    expect(await changeClock(db)).toBeGreaterThan(ahead + 9);

    // Writes and deletes from now on are stamped above everything stored.
    const later = pair('ds', 'run', { createdAt: 3 });
    await db.records.add(later);
    const [written] = await writeDerived(db, 'ds', [
      { uuid: later.uuid, fields: { review: 'rejected' } },
    ]);
    await deleteStored(db, [row.uuid]);
    const stamps = [
      (await getRecords(db, [later.uuid]))[0]!.changedAt!,
      written!.changedAt!,
      (await db.recordDeletions.get(row.uuid))!.at,
    ];
    expect(Math.min(...stamps)).toBeGreaterThan(ahead + 9);
    expect(new Set(stamps).size).toBe(3);
  });
});
