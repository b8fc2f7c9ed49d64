import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SortSpec } from '../shared/explorer-api';
import type { ViewFilter } from '../shared/filter';
import type { PairRecord } from '../shared/record';
import { MagpieDB, type StoredRecord } from '../store/db';
import { writeDerived, writeDerivedChunks } from '../store/derived';
import { DatasetIndex } from './dataset-index';
import { ExplorerService } from './explorer-service';
import { catchUp, scanStep } from './sync';
import { seedRelease } from '../test-support/release';
import { DS, expectedView, seededDb, varied } from './test-data';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

const SORT: SortSpec = { key: 'createdAt', desc: true };

/** A database of these records and a dataset index that has read them all. */
async function readWhole(records: PairRecord[]) {
  const db = await seededDb(records);
  cleanup.push(() => db.delete());
  const ix = new DatasetIndex(DS);
  ix.watermark = Date.now();
  while (await scanStep(db, ix));
  return { db, ix };
}

describe('derived rows in the dataset index', () => {
  it('a catch-up applies a derived-only change from the small row, without reading the record', async () => {
    const records = varied(300);
    const { db, ix } = await readWhole(records);
    expect(await catchUp(db, ix)).toMatchObject({ changed: 0 });

    // Another connection (the judge, a near-duplicate pass) writes derived rows only.
    const other = new MagpieDB(db.name);
    const [a, b] = records;
    await writeDerived(other, DS, [
      { uuid: a!.uuid, fields: { review: 'kept', input_quality: 'excellent', tag_failure: null } },
      {
        uuid: b!.uuid,
        nearDup: {
          min_neighbor_distance: 0,
          repeat_count: 3,
          min_similar_uuid: a!.uuid,
          method: 'text',
        },
      },
    ]);
    other.close();

    const wholeReads = vi.spyOn(db.records, 'bulkGet');
    expect(await catchUp(db, ix)).toMatchObject({ changed: 2 });
    expect(wholeReads).not.toHaveBeenCalled();
    wholeReads.mockRestore();

    const { cols } = ix;
    const oa = cols.ordOf(a!.uuid)!;
    const ob = cols.ordOf(b!.uuid)!;
    expect(cols.dicts.review.values[cols.facets.review[oa]!]).toBe('kept');
    expect(cols.dicts.input_quality.values[cols.facets.input_quality[oa]!]).toBe('excellent');
    expect(cols.facets.tag_failure[oa]).toBe(0);
    expect(cols.numbers.repeat_count[ob]).toBe(3);
    expect(cols.numbers.min_neighbor_distance[ob]).toBe(0);
    expect(cols.similarTo.get(ob)).toBe(a!.uuid);
    // Seen once: the next catch-up has nothing to do.
    expect(await catchUp(db, ix)).toMatchObject({ changed: 0 });
  });

  it("a catch-up applies a derived pack written elsewhere from the pack alone, the newer of a record's row and entry winning", async () => {
    const records = varied(300);
    const { db, ix } = await readWhole(records);

    // Another connection: a review, then a pass's pack over every record (it merges the
    // review), then a review newer than the pack.
    const other = new MagpieDB(db.name);
    const [a, b] = records;
    await writeDerived(other, DS, [{ uuid: a!.uuid, fields: { review: 'rejected' } }]);
    await writeDerivedChunks(
      other,
      DS,
      records.map((r, i) => ({
        uuid: r.uuid,
        recordAt: r.createdAt,
        nearDup: {
          min_neighbor_distance: 0.5,
          repeat_count: i % 4,
          min_similar_uuid: r.uuid,
          method: 'text' as const,
        },
      })),
      undefined,
      undefined,
      0,
    );
    await writeDerived(other, DS, [{ uuid: b!.uuid, fields: { review: 'kept' } }]);
    other.close();

    const wholeReads = vi.spyOn(db.records, 'bulkGet');
    expect((await catchUp(db, ix)).changed).toBeGreaterThanOrEqual(300);
    expect(wholeReads).not.toHaveBeenCalled();
    wholeReads.mockRestore();
    const { cols } = ix;
    const review = (uuid: string) =>
      cols.dicts.review.values[cols.facets.review[cols.ordOf(uuid)!]!];
    expect(review(a!.uuid)).toBe('rejected');
    expect(review(b!.uuid)).toBe('kept');
    records.forEach((r, i) => {
      const ord = cols.ordOf(r.uuid)!;
      expect(cols.numbers.repeat_count[ord]).toBe(i % 4);
      expect(cols.numbers.min_neighbor_distance[ord]).toBe(0.5);
    });
    expect(await catchUp(db, ix)).toMatchObject({ changed: 0 });
  });

  it('the explorer answers with derived values written elsewhere, and after a reload of its saved index', async () => {
    const records = varied(200);
    const db = await seededDb(records);
    cleanup.push(() => db.delete());
    const svc = new ExplorerService();
    await svc.useDatabase(db.name);
    cleanup.unshift(() => svc.useDatabase('closed'));
    const filter: ViewFilter = { facets: { review: ['kept'] } };
    await vi.waitFor(async () => expect((await svc.query(DS, {}, SORT)).indexing).toBeUndefined());

    const kept = records.filter((r) => r.review !== 'kept').slice(0, 7);
    const other = new MagpieDB(db.name);
    await writeDerived(
      other,
      DS,
      kept.map((r) => ({ uuid: r.uuid, fields: { review: 'kept' } })),
    );
    other.close();
    const now = records.map((r) =>
      kept.some((k) => k.uuid === r.uuid) ? { ...r, review: 'kept' as const } : r,
    );
    await vi.waitFor(
      async () => {
        const v = await svc.query(DS, filter, SORT);
        const rows = await svc.rows(v.queryId, 0, v.total);
        expect(rows.map((r) => r!.uuid)).toEqual(expectedView(now, filter, SORT));
        expect(rows.every((r) => r!.review === 'kept')).toBe(true);
      },
      { timeout: 5000, interval: 100 },
    );

    // Saved, closed, reopened from the saved index: the values are still there.
    await svc.flush();
    await svc.useDatabase('elsewhere');
    const again = new ExplorerService();
    await again.useDatabase(db.name);
    cleanup.unshift(() => again.useDatabase('closed'));
    const v = await again.query(DS, filter, SORT);
    expect(v.indexing).toBeUndefined();
    const rows = await again.rows(v.queryId, 0, v.total);
    expect(rows.map((r) => r!.uuid)).toEqual(expectedView(now, filter, SORT));
  });

  it("the explorer's own review writes a derived row, not the record, and an undone delete brings both back", async () => {
    const records = varied(50);
    const db = await seededDb(records);
    cleanup.push(() => db.delete());
    const svc = new ExplorerService();
    await svc.useDatabase(db.name);
    cleanup.unshift(() => svc.useDatabase('closed'));
    await vi.waitFor(async () => expect((await svc.query(DS, {}, SORT)).indexing).toBeUndefined());

    const target = records.find((r) => r.review !== 'rejected')!;
    const before = (await db.records.get(target.uuid)) as StoredRecord;
    await svc.setReview(DS, [target.uuid], 'rejected');
    expect(await db.records.get(target.uuid)).toEqual(before);
    expect(await db.recordDerived.get(target.uuid)).toMatchObject({
      fields: { review: 'rejected' },
    });

    const gone = await svc.deleteRecords(DS, [target.uuid]);
    expect(await db.recordDerived.get(target.uuid)).toBeUndefined();
    await svc.restoreRecords(DS, gone);
    expect(await db.recordDerived.get(target.uuid)).toMatchObject({
      fields: { review: 'rejected' },
    });
    const v = await svc.query(DS, { facets: { review: ['rejected'] } }, SORT);
    const rows = await svc.rows(v.queryId, 0, v.total);
    expect(rows.map((r) => r!.uuid)).toContain(target.uuid);
  });

  it("the explorer shows the near-duplicate values the dataset chooses: the app's, or an imported file's", async () => {
    const records = varied(40);
    const db = await seedRelease(DS, records);
    cleanup.push(() => db.delete());
    const [a] = records;
    await writeDerived(db, DS, [
      {
        uuid: a!.uuid,
        nearDup: {
          min_neighbor_distance: 0,
          repeat_count: 2,
          min_similar_uuid: a!.uuid,
          method: 'text',
        },
      },
    ]);
    const svc = new ExplorerService();
    await svc.useDatabase(db.name);
    cleanup.unshift(() => svc.useDatabase('closed'));
    // What the index answers (a filter on the distance) and what the rows show.
    const view = async () => {
      await vi.waitFor(async () =>
        expect((await svc.query(DS, {}, SORT)).indexing).toBeUndefined(),
      );
      const close = await svc.query(DS, { ranges: { min_neighbor_distance: [null, 0.1] } }, SORT);
      const all = await svc.query(DS, {}, SORT);
      const rows = await svc.rows(all.queryId, 0, all.total);
      return {
        close: close.total,
        a: rows.find((r) => r?.uuid === a!.uuid)?.min_neighbor_distance,
        withValues: rows.filter((r) => r?.min_neighbor_distance !== undefined).length,
      };
    };

    expect(await svc.nearDupSource(DS)).toBe('auto');
    expect(await view()).toEqual({ close: 1, a: 0, withValues: 40 });
    expect(await svc.setNearDupSource(DS, 'file')).toEqual({ ok: true, value: undefined });
    expect(await svc.nearDupSource(DS)).toBe('file');
    expect(await view()).toEqual({ close: 0, a: 0.5, withValues: 40 });
    await svc.setNearDupSource(DS, 'app');
    expect(await view()).toEqual({ close: 1, a: 0, withValues: 1 });
  });
});
