import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SortSpec } from '../shared/explorer-api';
import { SORT_KEYS } from '../shared/explorer-api';
import type { ViewFilter } from '../shared/filter';
import type { PairRecord } from '../shared/record';
import { MagpieDB, RANGE_DELETED, type StoredRecord } from '../store/db';
import { ExplorerService } from './explorer-service';
import { prng } from '../shared/seeded';
import { DS, expectedFacetCounts, expectedView, seededDb, varied } from './test-data';
import { allRecords } from '../test-support/stored';
import { getRecord } from '../store/derived';
import { PACKED_FROM } from '../store/derived-packs';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function explorerOn(db: MagpieDB): Promise<ExplorerService> {
  const svc = new ExplorerService();
  await svc.useDatabase(db.name);
  cleanup.unshift(async () => {
    await svc.useDatabase('closed');
  });
  return svc;
}

/** An explorer on a seeded store, past its first full read. */
async function setup(count: number) {
  const records = varied(count);
  const db = await seededDb(records);
  cleanup.push(() => db.delete());
  const svc = await explorerOn(db);
  await fullyRead(svc);
  return { records, db, svc };
}

async function fullyRead(svc: ExplorerService) {
  await vi.waitFor(
    async () =>
      expect((await svc.query(DS, {}, { key: 'createdAt', desc: true })).indexing).toBeUndefined(),
    { timeout: 10_000, interval: 50 },
  );
}

async function viewUuids(svc: ExplorerService, filter: ViewFilter, sort: SortSpec) {
  const v = await svc.query(DS, filter, sort);
  const rows = await svc.rows(v.queryId, 0, v.total);
  return { view: v, uuids: rows.map((r) => r!.uuid) };
}

/** Filters of every kind, drawn from the records' own words and values. */
function randomFilters(records: PairRecord[], count: number): ViewFilter[] {
  const rand = prng(99);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const words = records
    .slice(0, 50)
    .flatMap((r) => r.instruction.split(/\W+/))
    .filter((w) => w.length > 2);
  return Array.from({ length: count }, () => {
    const f: ViewFilter = {};
    if (rand() < 0.5)
      f.q = `${pick(words).slice(0, 2 + Math.floor(rand() * 4))}${rand() < 0.3 ? ` ${pick(words)}` : ''}`;
    if (rand() < 0.5) f.facets = { review: [pick(['unreviewed', 'kept', 'rejected'])] };
    if (rand() < 0.4) f.facets = { ...f.facets, language: [pick(['en', 'de', ''])] };
    if (rand() < 0.3) f.facets = { ...f.facets, task_category: [pick(['Math', 'Reasoning', ''])] };
    if (rand() < 0.3)
      f.ranges = { instruction_length: [pick([null, 60, 120]), pick([null, 200, 400])] };
    if (rand() < 0.2) f.ranges = { ...f.ranges, min_neighbor_distance: [0.2, null] };
    if (rand() < 0.2) f.endsWithColon = rand() < 0.5;
    if (rand() < 0.2)
      f.facets = {
        ...f.facets,
        tag_failure: [pick(['task_category', 'input_quality, difficulty', ''])],
      };
    return f;
  });
}

describe('explorer query layer', () => {
  it('shows exactly the records recordMatches passes, in sort order, for every sort key', async () => {
    const { records, svc } = await setup(800);
    const filters = randomFilters(records, 30);
    for (const [i, filter] of filters.entries()) {
      const sort: SortSpec = { key: SORT_KEYS[i % SORT_KEYS.length]!, desc: i % 2 === 1 };
      const { uuids } = await viewUuids(svc, filter, sort);
      expect(uuids, JSON.stringify({ filter, sort })).toEqual(expectedView(records, filter, sort));
    }
  }, 20_000);

  it('counts each facet under the rest of the filter, and the view shape under all of it', async () => {
    const { records, svc } = await setup(800);
    const filter: ViewFilter = {
      q: 'the',
      facets: { review: ['kept', 'rejected'], language: ['en'] },
      ranges: { response_length: [200, null] },
    };
    const view = await svc.query(DS, filter, { key: 'createdAt', desc: true });
    for (const key of ['review', 'language', 'model', 'task_category', 'tag_failure'] as const) {
      const got = Object.fromEntries(view.facets[key].map((c) => [c.value, c.count]));
      const want = expectedFacetCounts(records, filter, key);
      // chosen values are listed even at 0
      for (const chosen of filter.facets?.[key] ?? []) want[chosen] ??= 0;
      expect(got, key).toEqual(want);
    }
    // The fixtures' judge failures are in the view, so the tag-failure facet lists them.
    expect(view.facets.tag_failure.find((c) => c.value === 'task_category')?.count).toBeGreaterThan(
      0,
    );
    const expected = new Set(expectedView(records, filter, { key: 'createdAt', desc: false }));
    const inView = records.filter((r) => expected.has(r.uuid));
    const byReview = Object.fromEntries(view.shape.byFacet.review.map((c) => [c.value, c.count]));
    expect(byReview.kept ?? 0).toBe(inView.filter((r) => r.review === 'kept').length);
    expect(view.shape.responseLengths.counts.reduce((a, b) => a + b, 0)).toBe(view.total);
    const w = view.shape.instructionLengths.binWidth;
    const first = inView.filter((r) => r.instruction_length < w).length;
    expect(view.shape.instructionLengths.counts[0]).toBe(first);
    expect(view.tagColumns).toContain('task_category');
  }, 20_000);

  it('searches by word start in edits, not in the text they replaced', async () => {
    const records = varied(50);
    records[3] = {
      ...records[3]!,
      response: 'The original mentions quokka.',
      edited: { response: 'Now about wombats.', at: 1 },
    };
    const db = await seededDb(records);
    cleanup.push(() => db.delete());
    const svc = await explorerOn(db);
    await fullyRead(svc);
    const find = async (q: string) =>
      (await viewUuids(svc, { q }, { key: 'createdAt', desc: false })).uuids;
    expect(await find('wombat')).toEqual([records[3]!.uuid]);
    expect(await find('quokka')).toEqual([]);
    expect(await find('ombat')).toEqual([]);

    await svc.edit(DS, records[3]!.uuid, { response: 'Back to quokkas.' });
    expect(await find('wombat')).toEqual([]);
    expect(await find('quokkas')).toEqual([records[3]!.uuid]);
    const stored = await getRecord(db, records[3]!.uuid);
    expect(stored?.response).toBe('The original mentions quokka.');
    expect(stored?.edited?.response).toBe('Back to quokkas.');

    await svc.edit(DS, records[3]!.uuid, { response: 'The original mentions quokka.' });
    expect((await getRecord(db, records[3]!.uuid))?.edited).toBeUndefined();
    expect(await find('quokka')).toEqual([records[3]!.uuid]);
  });

  it('keeps, rejects, deletes and restores, and bulk-reviews a view with undo', async () => {
    const { records, db, svc } = await setup(300);
    const [a, b] = records;
    await svc.setReview(DS, [a!.uuid, b!.uuid], 'kept');
    const kept = await viewUuids(
      svc,
      { facets: { review: ['kept'] } },
      { key: 'createdAt', desc: false },
    );
    expect(kept.uuids).toContain(a!.uuid);
    expect((await getRecord(db, b!.uuid))?.review).toBe('kept');

    const gone = await svc.deleteRecords(DS, [a!.uuid]);
    expect((await svc.query(DS, {}, { key: 'createdAt', desc: true })).datasetTotal).toBe(299);
    await svc.restoreRecords(DS, gone);
    expect((await getRecord(db, a!.uuid))?.review).toBe('kept');

    const filter: ViewFilter = { facets: { language: ['de'] } };
    const view = await svc.query(DS, filter, { key: 'createdAt', desc: true });
    const before = Object.fromEntries(records.map((r) => [r.uuid, r.review]));
    before[a!.uuid] = 'kept';
    before[b!.uuid] = 'kept';
    const progress = vi.fn();
    const outcome = await svc.bulkReview(view.queryId, 'rejected', progress);
    expect(progress).toHaveBeenCalled();
    const rejected = await svc.query(
      DS,
      { ...filter, facets: { ...filter.facets, review: ['rejected'] } },
      { key: 'createdAt', desc: true },
    );
    expect(rejected.total).toBe(view.total);
    expect(outcome.changed).toBe(
      view.total - (view.facets.review.find((c) => c.value === 'rejected')?.count ?? 0),
    );

    await svc.undoBulkReview(outcome.undoToken);
    const after = await allRecords(db);
    expect(Object.fromEntries(after.map((r) => [r.uuid, r.review]))).toEqual(before);

    const deleted = await svc.bulkDelete(view.queryId);
    expect(deleted).toBe(view.total);
    expect(await db.records.count()).toBe(300 - view.total);
    expect((await svc.query(DS, filter, { key: 'createdAt', desc: true })).total).toBe(0);
  });

  it('reviews a whole view of thousands from the index, stored as derived packs, and the undo puts each status back', async () => {
    // A quarter start rejected: the rest, more than PACKED_FROM, change.
    const { records, db, svc } = await setup(Math.ceil(PACKED_FROM * 1.5));
    const sort: SortSpec = { key: 'createdAt', desc: true };
    const [a] = records;
    await svc.setReview(DS, [a!.uuid], 'kept'); // a row, older than the packs to come
    const before = Object.fromEntries(records.map((r) => [r.uuid, r.review]));
    before[a!.uuid] = 'kept';
    const alreadyRejected = records.filter((r) => before[r.uuid] === 'rejected').length;

    const view = await svc.query(DS, {}, sort);
    const progress = vi.fn();
    const outcome = await svc.bulkReview(view.queryId, 'rejected', progress);
    expect(outcome.changed).toBe(records.length - alreadyRejected);
    expect(progress).toHaveBeenLastCalledWith({ done: records.length, total: records.length });
    // Thousands of statuses went to a few values, not a row each.
    expect(await db.derivedPacks.count()).toBeGreaterThan(0);
    expect(await db.recordDerived.count()).toBe(1);
    expect((await allRecords(db)).every((r) => r.review === 'rejected')).toBe(true);

    expect((await svc.query(DS, { facets: { review: ['rejected'] } }, sort)).total).toBe(
      records.length,
    );
    // A reload (a new worker on the same database, from the index saved before) shows them
    // all rejected once it has caught up.
    const reloaded = await explorerOn(db);
    await vi.waitFor(
      async () =>
        expect((await reloaded.query(DS, { facets: { review: ['rejected'] } }, sort)).total).toBe(
          records.length,
        ),
      { timeout: 10_000, interval: 50 },
    );

    expect(await svc.undoBulkReview(outcome.undoToken)).toBe(outcome.changed);
    const after = await allRecords(db);
    expect(Object.fromEntries(after.map((r) => [r.uuid, r.review]))).toEqual(before);
  });

  it('follows writes made by other code (the pipeline, quality jobs) and tells watchers', async () => {
    const { records, db, svc } = await setup(200);
    await svc.query(DS, {}, { key: 'createdAt', desc: true });
    const heard = vi.fn();
    await svc.watch(DS, heard);

    const other = new MagpieDB(db.name); // another context's connection
    cleanup.unshift(async () => other.close());
    const fresh = varied(20, 11).map((r) => ({
      ...r,
      uuid: `new-${r.uuid}`,
      createdAt: r.createdAt + 1e6,
    }));
    await other.records.bulkAdd(fresh);
    await other.records.update(records[0]!.uuid, { task_category: 'Planning' });
    await other.records.delete(records[1]!.uuid);

    await vi.waitFor(
      async () => {
        const v = await svc.query(DS, {}, { key: 'createdAt', desc: true }, [records[5]!.uuid]);
        expect(v.datasetTotal).toBe(219);
        const planning = await svc.query(
          DS,
          { facets: { task_category: ['Planning'] } },
          { key: 'createdAt', desc: true },
        );
        const rows = await svc.rows(planning.queryId, 0, planning.total);
        expect(rows.map((r) => r!.uuid)).toContain(records[0]!.uuid);
      },
      { timeout: 5000, interval: 100 },
    );
    await vi.waitFor(() => expect(heard).toHaveBeenCalled());
  });

  it("answers a dataset's size from its index, counting every write committed before the question", async () => {
    const { records, db, svc } = await setup(120);
    expect(await svc.size(DS)).toEqual({ ok: true, value: { records: 120, exact: true } });
    const other = new MagpieDB(db.name);
    cleanup.unshift(async () => other.close());
    await other.records.bulkAdd(
      varied(7, 12).map((r) => ({ ...r, uuid: `more-${r.uuid}`, createdAt: r.createdAt + 1e6 })),
    );
    await other.records.bulkDelete([records[0]!.uuid, records[1]!.uuid]);
    // No wait: the answer catches up with what was committed before it was asked.
    expect(await svc.size(DS)).toEqual({ ok: true, value: { records: 125, exact: true } });
    expect(await svc.size('no-such-dataset')).toEqual({
      ok: true,
      value: { records: 0, exact: true },
    });
  });

  it('a view shows records committed before it was asked, even when no change notice came', async () => {
    const { db, svc } = await setup(120);
    expect((await svc.query(DS, {}, { key: 'createdAt', desc: true })).datasetTotal).toBe(120);
    // Written past Dexie (no storagemutated broadcast), stamped as the store stamps them.
    const more = varied(5, 12).map((r) => ({
      ...r,
      uuid: `raw-${r.uuid}`,
      createdAt: r.createdAt + 1e6,
      changedAt: Date.now() + 1,
    }));
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(db.name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = raw.transaction('records', 'readwrite');
      for (const r of more) tx.objectStore('records').put(r);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    raw.close();
    const view = await svc.query(DS, {}, { key: 'createdAt', desc: true });
    expect(view.datasetTotal).toBe(125);
    expect((await svc.rows(view.queryId, 0, 5)).map((r) => r?.uuid).sort()).toEqual(
      more.map((r) => r.uuid).sort(),
    );
  });

  it('saves its index and picks it up again, catching up with what changed while closed', async () => {
    const { records, db, svc } = await setup(500);
    const filter: ViewFilter = { q: 'the', facets: { review: ['unreviewed'] } };
    const sort: SortSpec = { key: 'response_length', desc: true };
    await svc.query(DS, filter, sort);
    await svc.flush();
    expect(await db.explorerSnapshots.count()).toBe(1);
    await svc.useDatabase('elsewhere'); // closes

    // Changes while no explorer is open.
    const changed = records.map((r) => ({ ...r }));
    changed[0]!.review = 'kept';
    changed[2]!.input_quality = 'excellent';
    await db.records.put(changed[0]!);
    await db.records.update(changed[2]!.uuid, { input_quality: 'excellent' });
    await db.records.delete(changed[4]!.uuid);
    changed.splice(4, 1);
    const extra = varied(5, 12).map((r) => ({ ...r, uuid: `x-${r.uuid}` }));
    await db.records.bulkAdd(extra.map((r) => ({ ...r })));
    const now = [...changed, ...extra];

    const again = await explorerOn(db);
    const first = await again.query(DS, filter, sort);
    expect(first.indexing).toBeUndefined(); // loaded, not read again
    await vi.waitFor(
      async () => {
        const { uuids } = await viewUuids(again, filter, sort);
        expect(uuids).toEqual(expectedView(now, filter, sort));
      },
      { timeout: 5000, interval: 100 },
    );
    const excellent = await viewUuids(again, { facets: { input_quality: ['excellent'] } }, sort);
    expect(excellent.uuids).toEqual(
      expectedView(now, { facets: { input_quality: ['excellent'] } }, sort),
    );
  });

  it('stamps every write with changedAt, whoever makes it', async () => {
    const db = await seededDb(varied(3));
    cleanup.push(() => db.delete());
    const [r] = (await allRecords(db)) as StoredRecord[];
    expect(r!.changedAt).toBeGreaterThan(Date.now() - 60_000);
    const before = r!.changedAt!;
    await new Promise((res) => setTimeout(res, 5));
    await db.records.update(r!.uuid, { review: 'kept' });
    await db.records.where('uuid').equals(r!.uuid).modify({ review: 'rejected' });
    const after = (await getRecord(db, r!.uuid)) as StoredRecord;
    expect(after.changedAt).toBeGreaterThan(before);
    expect(after.review).toBe('rejected');
  });
});

describe('the change feed', () => {
  it('leaves a tombstone for every delete, in the deleting transaction, and a range mark for clear()', async () => {
    const records = varied(6);
    const db = await seededDb(records);
    cleanup.push(() => db.delete());
    await db.records.delete(records[0]!.uuid);
    await db.records.where('uuid').anyOf([records[1]!.uuid, records[2]!.uuid]).delete();
    // A failed transaction takes its tombstone with it.
    await expect(
      db.transaction('rw', db.records, async () => {
        await db.records.delete(records[3]!.uuid);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.recordDeletions.toArray()).map((d) => d.uuid).sort()).toEqual(
      [records[0]!.uuid, records[1]!.uuid, records[2]!.uuid].sort(),
    );
    expect(await getRecord(db, records[3]!.uuid)).toBeDefined();
    await db.records.clear();
    expect(await db.recordDeletions.get(RANGE_DELETED)).toBeDefined();
  });

  it('an explorer catches up with a cleared table and with records deleted and put back', async () => {
    const { records, db, svc } = await setup(50);
    await db.records.delete(records[7]!.uuid);
    await db.records.add({ ...records[7]!, task_category: 'Brainstorming' });
    await vi.waitFor(
      async () => {
        const v = await viewUuids(
          svc,
          { facets: { task_category: ['Brainstorming'] } },
          {
            key: 'createdAt',
            desc: true,
          },
        );
        expect(v.uuids).toContain(records[7]!.uuid);
        expect(v.view.datasetTotal).toBe(50);
      },
      { timeout: 5000, interval: 100 },
    );
    await db.records.clear();
    await vi.waitFor(
      async () =>
        expect((await svc.query(DS, {}, { key: 'createdAt', desc: true })).datasetTotal).toBe(0),
      { timeout: 5000, interval: 100 },
    );
  });
});
