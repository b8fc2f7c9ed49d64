import { afterEach, describe, expect, it } from 'vitest';
import { OpenDataset } from '../../dataset/open-dataset';
import { DS, seededDb, varied } from '../../dataset/test-data';
import { MAGPIE_RECIPE } from '../../shared/quality';
import { writeDerived, type AssembledRecord } from '../../store/derived';
import { allRecords } from '../../test-support/stored';
import { recipeRows } from '../summary';
import { applyRecipe } from './recipe-job';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** A dataset of varied records, some tagged, one tagged since, and its index read. */
async function opened() {
  const base = varied(120);
  const records0 = (i: number) => base[i - 1]!.uuid;
  const records = base.map((r, i) => ({
    ...r,
    review: 'unreviewed' as const,
    min_similar_uuid: i % 10 === 9 ? records0(i) : r.uuid,
    ...(i % 4 !== 0 && { input_quality: i % 4 === 1 ? ('good' as const) : ('average' as const) }),
  }));
  const db = await seededDb(records);
  await writeDerived(db, DS, [{ uuid: records[0]!.uuid, fields: { input_quality: 'poor' } }]);
  const open = new OpenDataset(db, DS, () => undefined);
  cleanup.push(async () => {
    open.close();
    await db.delete();
  });
  await open.fresh();
  return { db, open };
}

const steps = MAGPIE_RECIPE;

describe('applying a recipe', () => {
  it('thousands of statuses go to derived packs, and every reader and the index see what a row per record gives', async () => {
    const asRows = await opened();
    const asPacks = await opened();
    const byRows = await applyRecipe(
      asRows.db,
      asRows.open,
      recipeRows(asRows.open.ix.cols),
      steps,
    );
    const byPacks = await applyRecipe(
      asPacks.db,
      asPacks.open,
      recipeRows(asPacks.open.ix.cols),
      steps,
      50,
    );
    expect(byPacks).toEqual(byRows);
    expect(byPacks.kept).toBeGreaterThan(0);
    expect(byPacks.rejected).toBeGreaterThan(0);

    expect(await asRows.db.derivedPacks.count()).toBe(0);
    expect(await asPacks.db.derivedPacks.count()).toBe(1);
    expect(await asPacks.db.recordDerived.count()).toBe(1); // the tag written before
    const strip = ({ changedAt: _c, derivedAt: _d, ...rest }: AssembledRecord) => rest;
    const stored = (await allRecords(asPacks.db)).map(strip);
    expect(stored).toEqual((await allRecords(asRows.db)).map(strip));
    expect(stored.filter((r) => r.review === 'unreviewed')).toEqual([]);
    // The tag written before the recipe is kept with the status.
    expect(stored.find((r) => r.input_quality === 'poor')).toBeDefined();

    // The index took the statuses as written: its review column matches what is stored.
    const { cols } = asPacks.open.ix;
    for (const r of stored)
      expect(cols.dicts.review.values[cols.facets.review[cols.ordOf(r.uuid)!]!]).toBe(r.review);
  });
});
