import { afterEach, describe, expect, it } from 'vitest';
import { MAGPIE_RECIPE, type RecipeSteps } from '../../shared/quality';
import type { GeneratedRecord, PairRecord } from '../../shared/record';
import { MagpieDB } from '../../store/db';
import { pair } from '../../test-support/fixtures';
import { recipeRow, runRecipe } from './funnel';
import { qualityOn } from '../test-quality';
import { allRecords } from '../../test-support/stored';

/** Ten records with known tags; `over` per record. */
function dataset(): PairRecord[] {
  const spec: [string, Partial<GeneratedRecord>][] = [
    ['a', { input_quality: 'excellent', response: 'x'.repeat(500), response_score: 9 }],
    ['b', { input_quality: 'good', response: 'x'.repeat(400), response_score: 4 }],
    ['c', { input_quality: 'good', instruction: 'List the steps:', response: 'x'.repeat(900) }],
    ['d', { input_quality: 'average', response: 'x'.repeat(800) }],
    ['e', { input_quality: 'poor' }],
    ['f', { response: 'x'.repeat(1000) }], // not tagged yet
    ['g', { input_quality: 'good', response: 'x'.repeat(300), response_score: 7 }],
    ['h', { input_quality: 'excellent', response: 'x'.repeat(200), response_score: 8 }],
    ['i', { input_quality: 'good', response: 'x'.repeat(100), response_score: 6 }],
    ['j', { input_quality: 'very poor' }],
  ];
  const records: PairRecord[] = spec.map(([uuid, over], i) => ({
    ...pair('ds', 'run', { uuid, createdAt: i, ...over }),
    min_similar_uuid: uuid,
  }));
  // g duplicates a; h was never checked for near-duplicates.
  records[6]!.min_similar_uuid = 'a';
  records[7]!.min_similar_uuid = undefined;
  return records;
}

const funnelOf = (steps: RecipeSteps) => {
  const { steps: funnel, survivors } = runRecipe(dataset().map(recipeRow), steps);
  return {
    funnel: funnel.map((s) => [s.id, s.removed, s.untagged, s.remaining]),
    kept: survivors.map((r) => r.uuid),
  };
};

describe('the recipe funnel', () => {
  it("counts what each of the authors' steps removes, in order", () => {
    expect(funnelOf(MAGPIE_RECIPE)).toEqual({
      funnel: [
        ['inputQuality', 4, 1, 6], // d, e, j and the untagged f
        ['dropEndsWithColon', 1, 0, 5], // c
        ['firstOfCluster', 2, 1, 3], // g (a duplicate) and h (not checked)
      ],
      kept: ['a', 'b', 'i'],
    });
  });

  it('applies a minimum response score, then keeps the top N by response length', () => {
    expect(funnelOf({ ...MAGPIE_RECIPE, minResponseScore: 5, topN: 1 })).toEqual({
      funnel: [
        ['inputQuality', 4, 1, 6],
        ['dropEndsWithColon', 1, 0, 5],
        ['firstOfCluster', 2, 1, 3],
        ['minResponseScore', 1, 0, 2], // b scored 4
        ['topN', 1, 0, 1], // a (500 chars) over i (100)
      ],
      kept: ['a'],
    });
  });

  it('reads the text the record shows: an edited instruction no longer ending with ":" passes', () => {
    const edited = {
      ...pair('ds', 'r', { instruction: 'Steps:' }),
      edited: { instruction: 'What are the steps?', at: 1 },
    };
    const { steps } = runRecipe([recipeRow(edited)], {
      ...MAGPIE_RECIPE,
      inputQuality: null,
      firstOfCluster: false,
    });
    expect(steps).toEqual([
      { id: 'dropEndsWithColon', label: expect.any(String), removed: 0, untagged: 0, remaining: 1 },
    ]);
  });

  it("filters on the reward a file brought, as the authors' instruct_reward > -10", () => {
    const rows = [-30, -10, -9.5, 2, undefined].map((reward, i) =>
      recipeRow({
        ...pair('ds', 'r', { uuid: `r${i}`, createdAt: i }),
        ...(reward !== undefined && { instruct_reward: reward }),
      }),
    );
    const { steps, survivors } = runRecipe(rows, {
      inputQuality: null,
      dropEndsWithColon: false,
      firstOfCluster: false,
      minInstructReward: -10,
      minResponseScore: null,
      topN: null,
    });
    expect(steps).toEqual([
      {
        id: 'minInstructReward',
        label: 'Instruct reward above -10',
        removed: 3, // -30, -10 (not above) and the record without a reward
        untagged: 1,
        remaining: 2,
      },
    ]);
    expect(survivors.map((r) => r.uuid)).toEqual(['r2', 'r3']);
  });

  it('with every step off, keeps everything', () => {
    const none: RecipeSteps = {
      inputQuality: null,
      dropEndsWithColon: false,
      firstOfCluster: false,
      minResponseScore: null,
      topN: null,
    };
    expect(funnelOf(none)).toEqual({ funnel: [], kept: 'abcdefghij'.split('') });
  });
});

describe('the recipe on the database', () => {
  const dbs: MagpieDB[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.delete();
  });

  it('previews without changing anything, then applying sets kept and rejected', async () => {
    const db = new MagpieDB(`recipe-${crypto.randomUUID()}`);
    dbs.push(db);
    const records = dataset();
    records[3]!.review = 'kept'; // d: kept by hand earlier
    await db.records.bulkAdd(records);
    await db.records.add(pair('other', 'run', { uuid: 'elsewhere' }));

    const service = await qualityOn(db);
    const funnel = await service.previewRecipe('ds', MAGPIE_RECIPE);
    expect(funnel).toMatchObject({
      ok: true,
      value: { total: 10, kept: 3, current: { kept: 1, rejected: 0, unreviewed: 9 } },
    });
    expect((await allRecords(db)).filter((r) => r.review !== 'unreviewed')).toHaveLength(1);

    expect(await service.applyRecipe('ds', MAGPIE_RECIPE)).toEqual({
      ok: true,
      value: { kept: 3, rejected: 7 },
    });
    const review = Object.fromEntries((await allRecords(db)).map((r) => [r.uuid, r.review]));
    expect(review).toEqual({
      a: 'kept',
      b: 'kept',
      i: 'kept',
      c: 'rejected',
      d: 'rejected',
      e: 'rejected',
      f: 'rejected',
      g: 'rejected',
      h: 'rejected',
      j: 'rejected',
      elsewhere: 'unreviewed', // another dataset is untouched
    });
  });
});
