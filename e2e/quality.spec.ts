import type { Page } from '@playwright/test';
import type { PairRecord } from '../src/shared/record';
import { pair } from '../src/test-support/fixtures';
import {
  connect,
  currentDatasetId,
  generate,
  openView,
  openWithDataset,
  postedBodies,
  readStore,
  seedRecords,
  setPairs,
  tagUntagged,
} from './support/app';
import { QWEN_MODEL, QWEN_PRE } from './support/qwen';
import { expect, test } from './support/test';

type Tagged = PairRecord;
const records = async (page: Page) => (await readStore(page)).records as unknown as Tagged[];

async function openQuality(page: Page) {
  await openView(page, 'Quality');
  await expect(page.getByRole('heading', { name: 'Tag with the model' })).toBeVisible();
}

test('pairs get near-duplicate fields as they are generated', async ({ page, startServer }) => {
  const server = await startServer({ model: QWEN_MODEL, preQuery: QWEN_PRE });
  await openWithDataset(page);
  await connect(page, server, { concurrency: 4 });
  await setPairs(page, 16);
  await generate(page);

  // Without opening the Quality view: the pipeline told the quality worker as it stored.
  await expect
    .poll(async () => (await records(page)).filter((r) => r.min_similar_uuid).length)
    .toBe(16);
  const all = await records(page);
  const byUuid = new Map(all.map((r) => [r.uuid, r]));
  for (const r of all) {
    const first = byUuid.get(r.min_similar_uuid as string);
    expect(first, 'min_similar_uuid names a record of the dataset').toBeDefined();
    expect(first!.createdAt).toBeLessThanOrEqual(r.createdAt);
    expect(r.min_neighbor_distance).toBeGreaterThanOrEqual(0);
    expect(r.repeat_count).toBeGreaterThanOrEqual(0);
  }
  await openQuality(page);
  await expect(page.getByTestId('dedup-status')).toContainText('16 of 16 records checked');
});

test('tags a dataset with the model as judge, then applies the Magpie recipe', async ({
  page,
  startServer,
}) => {
  const server = await startServer({
    model: QWEN_MODEL,
    judge: { truncateFirst: true, wrongLabelFor: 'haiku' },
  });
  await openWithDataset(page);
  const INSTRUCTIONS = [
    'How do I sort a list of numbers in Python?', // excellent, first of its cluster
    'Write a haiku about autumn rain in the city.', // average; its category answer is not a label
    'How do I sort a list of numbers in Python?', // exact duplicate of the first
    'Plan a three-day trip to Lisbon on a small budget.', // excellent
    'List the steps to repot a cactus safely:', // good, but ends with ':'
    'Explain how compound interest works for a savings account.', // good
    'how do I sort a list of numbers in python', // the first again, other case
    'Tell me something.', // very poor
    'What should I pack for a week of hiking in the Alps?', // good
    'Translate "good morning" into French, Spanish and German.', // good
  ];
  const datasetId = await currentDatasetId(page);
  const seeded = INSTRUCTIONS.map((instruction, i) =>
    pair(datasetId, 'imported', {
      instruction,
      response: `Answer ${i}: ${'details '.repeat(10 + i)}`,
      createdAt: 1_700_000_000_000 + i * 1000,
    }),
  );
  await seedRecords(page, seeded);
  await page.reload();
  await connect(page, server, { concurrency: 4 });
  await openQuality(page);

  // The imported records are checked for near-duplicates as soon as the view opens.
  await expect(page.getByTestId('dedup-status')).toHaveText(
    '10 of 10 records checked · 1 cluster · 2 records repeat an earlier one',
  );

  await tagUntagged(page);
  await expect(page.getByTestId('judge-done')).toHaveText('10 / 10');
  await expect(page.getByTestId('judge-failed')).toHaveText('1');
  await expect(page.getByTestId('tag-failures')).toContainText('1 record has a tag failure');

  const tagged = new Map((await records(page)).map((r) => [r.instruction, r]));
  const haiku = tagged.get(INSTRUCTIONS[1]!)!;
  expect(haiku.task_category).toBeUndefined();
  expect(haiku.tag_failure).toMatchObject({
    task: 'task_category',
    raw: expect.stringContaining('"Cooking"'),
    generator: QWEN_MODEL,
  });
  expect(haiku.input_quality).toBe('average');
  const lisbon = tagged.get(INSTRUCTIONS[3]!)!;
  expect(lisbon).toMatchObject({
    task_category: 'Planning',
    task_category_generator: QWEN_MODEL,
    input_quality: 'excellent',
    quality_generator: QWEN_MODEL,
    difficulty_generator: QWEN_MODEL,
    response_score: 8,
    response_score_generator: QWEN_MODEL,
  });
  // Every judge request was a chat completion at temperature 0 with a JSON schema; the
  // fake cut off its first answer to each distinct prompt, so nearly all were asked twice.
  const chats = postedBodies<object>(server, '/v1/chat/completions');
  const retried = Number(await page.getByTestId('judge-retried').textContent());
  expect(retried).toBeGreaterThanOrEqual(37); // record 2 repeats record 0's prompts
  expect(chats.length).toBe(40 + retried);
  for (const c of chats) {
    expect(c).toMatchObject({ temperature: 0, response_format: { type: 'json_schema' } });
  }

  // The funnel, before anything changes.
  await expect(page.getByTestId('removed-inputQuality')).toHaveText('2');
  await expect(page.getByTestId('removed-dropEndsWithColon')).toHaveText('1');
  await expect(page.getByTestId('removed-firstOfCluster')).toHaveText('2');
  await expect(page.getByTestId('funnel-kept')).toHaveText('5');
  expect((await records(page)).every((r) => r.review === 'unreviewed')).toBe(true);

  // An own recipe: without the ':' rule, saved and loaded back.
  await page.getByLabel('2. Drop instructions ending with ":" (incomplete)').uncheck();
  await expect(page.getByTestId('funnel-kept')).toHaveText('6');
  await page.getByLabel('Save these steps as').fill('Colons allowed');
  await page.getByRole('button', { name: 'Save recipe' }).click();
  await page
    .getByRole('combobox', { name: /^Recipe/ })
    .selectOption({ label: 'The Magpie recipe (built in)' });
  await expect(page.getByTestId('funnel-kept')).toHaveText('5');
  await page.getByRole('combobox', { name: /^Recipe/ }).selectOption({ label: 'Colons allowed' });
  await expect(page.getByTestId('funnel-kept')).toHaveText('6');
  await page
    .getByRole('combobox', { name: /^Recipe/ })
    .selectOption({ label: 'The Magpie recipe (built in)' });
  await expect(page.getByTestId('funnel-kept')).toHaveText('5');

  await page.getByRole('button', { name: 'Apply recipe…' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('5 kept');
  await page.getByRole('button', { name: 'Mark 5 kept, 5 rejected' }).click();
  await expect(page.getByTestId('recipe-result')).toHaveText('Applied: 5 kept, 5 rejected.');
  await expect(page.getByTestId('review-counts')).toHaveText(
    'Review statuses now: 5 kept · 5 rejected · 0 unreviewed',
  );

  const review = new Map((await records(page)).map((r) => [r.uuid, r.review]));
  const expected = [
    'kept',
    'rejected',
    'rejected',
    'kept',
    'rejected',
    'kept',
    'rejected',
    'rejected',
    'kept',
    'kept',
  ];
  expect(seeded.map((r) => review.get(r.uuid))).toEqual(expected);
});
