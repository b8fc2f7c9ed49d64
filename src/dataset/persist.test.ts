import { afterEach, describe, expect, it } from 'vitest';
import type { MagpieDB } from '../store/db';
import { DatasetIndex } from './dataset-index';
import { loadColumns, loadText, saveIndex } from './persist';
import { DS, seededDb, varied } from './test-data';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function savedIndex(db: MagpieDB, n: number): Promise<void> {
  const ix = new DatasetIndex(DS);
  for (const r of varied(n)) ix.upsert(r);
  ix.scanBefore = null;
  await saveIndex(db, ix);
}

describe('a saved index loaded again', () => {
  it('has room for new records: the first ones a catch-up adds do not copy every column', async () => {
    const db = await seededDb([]);
    cleanup.push(() => db.delete());
    await savedIndex(db, 4000);
    const ix = (await loadColumns(db, DS))!;
    await loadText(db, ix);
    const columnsOf = (i: DatasetIndex) => [
      i.cols.createdAt,
      i.cols.changedAt,
      i.cols.alive,
      i.cols.textHash,
    ];
    const columns = columnsOf(ix);
    const more = varied(1000, 11).map((r) => ({ ...r, createdAt: r.createdAt + 1e6 }));
    for (const r of more) ix.upsert(r);
    expect(ix.cols.n).toBe(5000);
    // The same arrays, appended to in place.
    columnsOf(ix).forEach((column, i) => expect(column).toBe(columns[i]));
    expect(ix.cols.ordOf(more[999]!.uuid)).toBe(4999);
  });
});
