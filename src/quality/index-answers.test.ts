/**
 * The quality summary, the recipe funnel and export counts are answered by the dataset
 * worker from its index. Here each answer is compared with the same answer computed the
 * slow, obvious way from every stored record, after writes from another connection (as
 * the pipeline and the judge make them), the explorer's own edits and deletes, and a
 * recipe applied.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DS, varied } from '../dataset/test-data';
import { ExplorerService } from '../dataset/explorer-service';
import { recordMatches } from '../shared/filter';
import {
  MAGPIE_RECIPE,
  type Funnel,
  type QualitySummary,
  type RecipeSteps,
} from '../shared/quality';
import type { PairRecord } from '../shared/record';
import { selectionFilter, type ExportSelection } from '../shared/transfer-api';
import { MagpieDB } from '../store/db';
import { QualityService } from './quality-service';
import { recipeRow, runRecipe } from './recipe/funnel';
import { allRecords } from '../test-support/stored';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** Varied records, some tagged, checked for near-duplicates, failed, multi-turn or rewarded. */
function tagged(count: number): PairRecord[] {
  const qualities = ['good', 'excellent', 'average', 'poor'] as const;
  return varied(count).map((r, i) => {
    if (i % 3 === 0) r.input_quality = qualities[i % 4];
    if (i % 5 === 0) r.task_category = 'Math';
    if (i % 7 === 0) r.difficulty = 'easy';
    if (i % 4 === 1) r.response_score = i % 10;
    if (i % 11 === 0)
      r.tag_failure = { task: 'difficulty', raw: 'x', error: 'parse', generator: 'judge', at: 1 };
    if (i % 2 === 0) r.min_similar_uuid = i % 6 === 0 ? r.uuid : `uuid-of-${i - (i % 6)}`;
    if (i % 9 === 0) r.instruct_reward = (i % 40) - 20;
    if (i % 13 === 0)
      r.conversations = [...r.conversations, ...r.conversations.map((t) => ({ ...t }))];
    return r;
  });
}

/** The summary as a scan of every record computes it. */
function summaryTruth(records: PairRecord[]): QualitySummary {
  const out: QualitySummary = {
    records: records.length,
    dedupChecked: 0,
    clusters: 0,
    duplicates: 0,
    tagged: { task_category: 0, input_quality: 0, difficulty: 0, response_score: 0 },
    failures: 0,
    review: { kept: 0, rejected: 0, unreviewed: 0 },
  };
  const firsts = new Set<string>();
  const pointedAt = new Set<string>();
  for (const r of records) {
    out.review[r.review]++;
    for (const k of ['task_category', 'input_quality', 'difficulty', 'response_score'] as const)
      if (r[k] !== undefined) out.tagged[k]++;
    if (r.tag_failure) out.failures++;
    if (r.min_similar_uuid === undefined) continue;
    out.dedupChecked++;
    if (r.min_similar_uuid === r.uuid) firsts.add(r.uuid);
    else {
      out.duplicates++;
      pointedAt.add(r.min_similar_uuid);
    }
  }
  for (const uuid of pointedAt) if (firsts.has(uuid)) out.clusters++;
  return out;
}

function funnelTruth(records: PairRecord[], steps: RecipeSteps): Funnel {
  const sorted = [...records].sort((a, b) => a.createdAt - b.createdAt);
  const result = runRecipe(sorted.map(recipeRow), steps);
  const current = { kept: 0, rejected: 0, unreviewed: 0 };
  for (const r of records) current[r.review]++;
  return { total: records.length, steps: result.steps, kept: result.survivors.length, current };
}

function countTruth(records: PairRecord[], selection: ExportSelection) {
  const matching = records.filter((r) => recordMatches(r, selectionFilter(selection)));
  return {
    total: records.length,
    matching: matching.length,
    multiTurn: matching.filter((r) => r.conversations.filter((t) => t.from === 'human').length > 1)
      .length,
  };
}

const STEPS: RecipeSteps[] = [
  MAGPIE_RECIPE,
  { ...MAGPIE_RECIPE, minResponseScore: 5, topN: 40 },
  { ...MAGPIE_RECIPE, inputQuality: null, minInstructReward: -10 },
];
const SELECTIONS: ExportSelection[] = [
  { scope: 'all', filter: { q: 'ignored' } },
  { scope: 'review', filter: { facets: { review: ['kept'] } } },
  { scope: 'view', filter: { q: 'the', facets: { input_quality: ['good', ''] } } },
  { scope: 'view', filter: { ranges: { response_score: [3, null] }, endsWithColon: false } },
];

async function setup(count: number) {
  const db = new MagpieDB(`answers-${crypto.randomUUID()}`);
  await db.records.bulkAdd(tagged(count));
  const explorer = new ExplorerService();
  await explorer.useDatabase(db.name);
  const quality = new QualityService(db, explorer);
  cleanup.push(async () => {
    await explorer.useDatabase('closed');
    await db.delete();
  });
  const stored = async (): Promise<PairRecord[]> =>
    (await allRecords(db)).filter((r) => r.datasetId === DS);
  const expectTruth = async () => {
    const records = await stored();
    expect(await quality.summary(DS)).toEqual({ ok: true, value: summaryTruth(records) });
    for (const steps of STEPS)
      expect(await quality.previewRecipe(DS, steps)).toEqual({
        ok: true,
        value: funnelTruth(records, steps),
      });
    for (const selection of SELECTIONS)
      expect(await explorer.countSelection(DS, selection)).toEqual({
        ok: true,
        value: countTruth(records, selection),
      });
  };
  return { db, explorer, quality, stored, expectTruth };
}

describe('answers from the dataset index', () => {
  it('equal a scan of every record, after writes, edits, deletes and a recipe', async () => {
    const { db, explorer, quality, stored, expectTruth } = await setup(400);
    await expectTruth();

    // Another connection writes, as the pipeline and the judge do: new pairs, new tags.
    const other = new MagpieDB(db.name);
    const fresh = tagged(460).slice(400);
    await other.records.bulkAdd(fresh);
    const some = (await other.records.bulkGet(
      fresh.slice(0, 5).map((r) => r.uuid),
    )) as PairRecord[];
    for (const r of some) {
      r.input_quality = 'excellent';
      r.min_similar_uuid = r.uuid;
      delete r.tag_failure;
    }
    await other.records.bulkPut(some);
    other.close();
    await expectTruth();

    // The explorer's own writes: an edit that ends an instruction with ':', a review, deletes.
    const [first, second, third] = await stored();
    await explorer.edit(DS, first!.uuid, { instruction: 'Do these steps:' });
    await explorer.setReview(DS, [second!.uuid], 'kept');
    await explorer.deleteRecords(DS, [third!.uuid]);
    await expectTruth();

    expect(await quality.applyRecipe(DS, MAGPIE_RECIPE)).toMatchObject({ ok: true });
    await expectTruth();
    const after = await stored();
    expect(after.filter((r) => r.review === 'unreviewed')).toEqual([]);
  });
});
