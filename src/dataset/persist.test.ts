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

  it('sorts by text as an index that read every record, whether the text starts were split before records were added, after, or only on the next load', async () => {
    const db = await seededDb([]);
    cleanup.push(() => db.delete());
    await savedIndex(db, 300);
    const more = varied(60, 13).map((r) => ({ ...r, createdAt: r.createdAt + 1e6 }));
    const whole = new DatasetIndex(DS);
    for (const r of [...varied(300), ...more]) whole.upsert(r);
    const loaded = async () => {
      const ix = (await loadColumns(db, DS))!;
      await loadText(db, ix);
      return ix;
    };

    const splitLate = await loaded();
    for (const r of more) splitLate.upsert(r);
    expect(splitLate.cols.sortText).toEqual(whole.cols.sortText);

    const splitFirst = await loaded();
    expect(splitFirst.cols.sortText.instruction).toHaveLength(300);
    for (const r of more) splitFirst.upsert(r);
    expect(splitFirst.cols.sortText).toEqual(whole.cols.sortText);

    const savedUnsplit = await loaded();
    for (const r of more.slice(0, 20)) savedUnsplit.upsert(r);
    await saveIndex(db, savedUnsplit);
    const next = await loaded();
    for (const r of more.slice(20)) next.upsert(r);
    expect(next.cols.sortText).toEqual(whole.cols.sortText);
  });
});
