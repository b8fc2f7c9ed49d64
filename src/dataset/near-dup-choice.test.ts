/**
 * Changing which near-duplicate values a dataset shows, while an index read under the old
 * choice is open somewhere (another tab's dataset worker) and saves after the change: the
 * next open must show the new choice's values, whichever way the saves interleave.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SortSpec } from '../shared/explorer-api';
import { writeDerived } from '../store/derived';
import { ExplorerService } from './explorer-service';
import { seedRelease } from '../test-support/release';
import { DS, varied } from './test-data';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

const SORT: SortSpec = { key: 'createdAt', desc: true };

async function explorerOn(name: string): Promise<ExplorerService> {
  const svc = new ExplorerService();
  await svc.useDatabase(name);
  cleanup.unshift(() => svc.useDatabase('closed'));
  return svc;
}

/** What a curator sees: the records near a duplicate, and one record's distance. */
async function shown(svc: ExplorerService, uuid: string) {
  await vi.waitFor(async () => expect((await svc.query(DS, {}, SORT)).indexing).toBeUndefined());
  const close = await svc.query(DS, { ranges: { min_neighbor_distance: [null, 0.1] } }, SORT);
  const all = await svc.query(DS, {}, SORT);
  const rows = await svc.rows(all.queryId, 0, all.total);
  return {
    close: close.total,
    distance: rows.find((r) => r?.uuid === uuid)?.min_neighbor_distance,
  };
}

describe('the near-duplicate choice and saved indexes', () => {
  it('an index of the old choice saved after the change is not loaded again', async () => {
    const records = varied(40);
    const db = await seedRelease(DS, records);
    cleanup.push(() => db.delete());
    const a = records[0]!;
    await writeDerived(db, DS, [
      {
        uuid: a.uuid,
        nearDup: {
          min_neighbor_distance: 0,
          repeat_count: 2,
          min_similar_uuid: a.uuid,
          method: 'text',
        },
      },
    ]);

    // Tab A reads the dataset under the default choice (the app's value where computed).
    const tabA = await explorerOn(db.name);
    expect(await shown(tabA, a.uuid)).toEqual({ close: 1, distance: 0 });

    // Tab B chooses the file's values; tab A, still open, then changes a record and saves.
    const tabB = await explorerOn(db.name);
    expect(await tabB.setNearDupSource(DS, 'file')).toEqual({ ok: true, value: undefined });
    await tabA.setReview(DS, [records[5]!.uuid], 'kept');
    await tabA.flush();

    // A later open shows the file's values, and the review tab A made.
    const tabC = await explorerOn(db.name);
    expect(await shown(tabC, a.uuid)).toEqual({ close: 0, distance: 0.5 });
    const kept = await tabC.query(DS, { facets: { review: ['kept'] } }, SORT);
    const keptRows = await tabC.rows(kept.queryId, 0, kept.total);
    expect(keptRows.map((r) => r!.uuid)).toContain(records[5]!.uuid);
  });
});
