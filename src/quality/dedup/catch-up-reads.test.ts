/**
 * A near-duplicate catch-up in the dataset worker as it runs there (ExplorerService and
 * QualityService on one database): the new records are read from the store once, by the
 * dataset index's catch-up, and the near-duplicate pass works from that read; its values
 * are written without looking each record up again. Reads and lookups are counted where
 * they leave the store (Dexie's lowest layer, on every connection).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExplorerService } from '../../dataset/explorer-service';
import { DS, seededDb, varied } from '../../dataset/test-data';
import { syntheticRecords } from '../../dataset/synthetic';
import { MagpieDB } from '../../store/db';
import { countOnEveryConnection } from '../../test-support/store-reads';
import { getRecords, writeDerived } from '../../store/derived';
import { QualityService, type DatasetIndexes } from '../quality-service';

/** Whole records handed out by the records table, per uuid; cursors over values counted apart. */
const reads = new Map<string, number>();
let valueCursors = 0;
/** Records looked up by uuid without being read: keys of the records table and of the packs' uuids. */
let lookups = 0;
/** Derived rows asked for by uuid. */
let derivedAsked = 0;
const note = (value: unknown) => {
  const uuid = (value as { uuid?: string } | undefined)?.uuid;
  if (uuid) reads.set(uuid, (reads.get(uuid) ?? 0) + 1);
};
let stopCounting: () => void;
beforeAll(() => {
  stopCounting = countOnEveryConnection((read) => {
    if (read.table === 'recordDerived' && read.kind === 'getMany') derivedAsked += read.keys;
    if (read.table === 'packBodies' && read.kind === 'step' && read.index === 'uuids') lookups++;
    if (read.table !== 'records') return;
    if (read.kind === 'get' || read.kind === 'getMany') read.found.forEach(note);
    if (read.kind === 'range' && read.values) read.result.forEach(note);
    if (read.kind === 'cursor' && read.values) valueCursors++;
    if (read.kind === 'step' && read.primary) lookups++;
  });
});
afterAll(() => stopCounting());

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** A dataset of these records, with the dataset worker's explorer service open on it. */
async function withExplorer(records: Parameters<typeof seededDb>[0]) {
  const db = await seededDb(records);
  const explorer = new ExplorerService();
  await explorer.useDatabase(db.name);
  cleanup.push(async () => {
    await explorer.useDatabase('closed');
    await db.delete();
  });
  return { db, explorer };
}

describe('near-duplicate catch-up', () => {
  it('reads each new record once, stores its values and the explorer shows them', async () => {
    const old = varied(150);
    const { db, explorer } = await withExplorer(old);
    const quality = new QualityService(db, explorer);
    expect(await quality.catchUp(DS)).toMatchObject({ ok: true, value: { records: 150 } });

    // A run stores pairs from another connection: copies of old instructions, and new ones.
    const make = syntheticRecords({ datasetId: DS, seed: 41, vocabulary: 400 });
    const now = Date.now();
    const copies = [3, 77, 140].map((i, k) => ({
      ...make(k),
      instruction: old[i]!.instruction,
      createdAt: now + k,
    }));
    const fresh = Array.from({ length: 27 }, (_, k) => ({
      ...make(100 + k),
      createdAt: now + 10 + k,
    }));
    const other = new MagpieDB(db.name);
    await other.records.bulkAdd([...copies, ...fresh]);
    other.close();

    reads.clear();
    valueCursors = 0;
    const caught = await quality.catchUp(DS);
    expect(caught).toMatchObject({ ok: true, value: { records: 180 } });
    const newUuids = [...copies, ...fresh].map((r) => r.uuid);
    expect(valueCursors).toBe(0);
    expect([...reads.keys()].sort()).toEqual([...newUuids].sort());
    expect(new Set(reads.values())).toEqual(new Set([1]));

    // Stored: each copy points at the old record it repeats, as an exact duplicate.
    const stored = await getRecords(db, newUuids, { nearDup: 'app' });
    copies.forEach((c, k) => {
      const r = stored[k]!;
      expect(r.nearDupMethod).toBe('text');
      expect(r.min_neighbor_distance).toBe(0);
      expect(r.min_similar_uuid).toBe(old[[3, 77, 140][k]!]!.uuid);
    });
    for (const r of stored.slice(copies.length)) {
      expect(r!.nearDupMethod).toBe('text');
      expect(r!.repeat_count).toBeGreaterThanOrEqual(0);
    }

    // The explorer shows them: the exact duplicates view holds the copies and what they repeat.
    const view = await explorer.query(
      DS,
      { ranges: { min_neighbor_distance: [0, 0] } },
      {
        key: 'createdAt',
        desc: false,
      },
    );
    const rows = await explorer.rows(view.queryId, 0, view.total);
    const shown = new Set(rows.map((r) => r!.uuid));
    for (const [k, i] of [3, 77, 140].entries()) {
      expect(shown.has(copies[k]!.uuid)).toBe(true);
      expect(shown.has(old[i]!.uuid)).toBe(true);
    }
    const summary = await quality.summary(DS);
    expect(summary).toMatchObject({ ok: true, value: { records: 180, dedupChecked: 180 } });
  });

  it('writes the values without looking records up or reading back rows new records lack, and none for a record deleted meanwhile', async () => {
    const old = varied(150);
    const { db, explorer } = await withExplorer(old);
    // Another tab writes right after the dataset index caught up, before the values are
    // written: deletes records, reviews one. What the write must still notice.
    let afterCatchUp: ((other: MagpieDB) => Promise<unknown>) | undefined;
    const indexes: DatasetIndexes = {
      fresh: async (id) => {
        const open = await explorer.fresh(id);
        if (afterCatchUp) {
          const other = new MagpieDB(db.name);
          await afterCatchUp(other);
          other.close();
          afterCatchUp = undefined;
        }
        return open;
      },
      onRecord: (listener) => explorer.onRecord(listener),
      applyDerived: (id, rows) => explorer.applyDerived(id, rows),
    };
    const quality = new QualityService(db, indexes);
    expect(await quality.catchUp(DS)).toMatchObject({ ok: true, value: { records: 150 } });

    const make = syntheticRecords({ datasetId: DS, seed: 43, vocabulary: 400 });
    const now = Date.now();
    const fresh = Array.from({ length: 30 }, (_, k) => ({ ...make(k), createdAt: now + k }));
    const other = new MagpieDB(db.name);
    await other.records.bulkAdd(fresh);
    other.close();
    lookups = 0;
    derivedAsked = 0;
    const caught = await quality.catchUp(DS);
    expect(caught).toMatchObject({ ok: true, value: { records: 180 } });
    const updated = caught.ok ? caught.value!.updated : 0;
    expect(updated).toBeGreaterThanOrEqual(30);
    expect(lookups).toBe(0);
    // Each new record's row asked once (the index reads the record whole), and the rows of
    // the old records whose values changed, to merge: none read back for the new records.
    expect(derivedAsked).toBe(30 + (updated - 30));
    const stored = await getRecords(
      db,
      fresh.map((r) => r.uuid),
      { nearDup: 'app' },
    );
    for (const r of stored) expect(r!.nearDupMethod).toBe('text');

    // Three more: one deleted and one reviewed between the index's catch-up and the write.
    const [kept, gone, reviewed] = [make(100), make(101), make(102)].map((r, k) => ({
      ...r,
      createdAt: now + 100 + k,
    }));
    const third = new MagpieDB(db.name);
    await third.records.bulkAdd([kept!, gone!, reviewed!]);
    third.close();
    afterCatchUp = async (other) => {
      await other.records.delete(gone!.uuid);
      await writeDerived(other, DS, [{ uuid: reviewed!.uuid, fields: { review: 'kept' } }]);
    };
    await quality.catchUp(DS);
    expect(await db.recordDerived.get(gone!.uuid)).toBeUndefined();
    const [k, r] = await getRecords(db, [kept!.uuid, reviewed!.uuid], { nearDup: 'app' });
    expect(k!.nearDupMethod).toBe('text');
    expect(r).toMatchObject({ nearDupMethod: 'text', review: 'kept' });
  });
});
