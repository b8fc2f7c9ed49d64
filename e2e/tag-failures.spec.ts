/**
 * The curator's side of the judge: a judge answer that cannot be used is stored as a tag
 * failure, found with the explorer's "Tag failure" facet (and the Quality view's link),
 * read in the record's detail view exactly as the model wrote it, and exported with the tags.
 */
import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import type { PairRecord } from '../src/shared/record';
import {
  connect,
  openView,
  openWithDataset,
  readStore,
  seedInstructions,
  tagUntagged,
  withoutSavePicker,
} from './support/app';
import { QWEN_MODEL } from './support/qwen';
import { expect, test } from './support/test';

const INSTRUCTIONS = [
  'Plan a three-day trip to Lisbon on a small budget.',
  'Write a haiku about autumn rain in the city.', // the judge names a category outside the set
  'Explain how compound interest works for a savings account.',
  'What should I pack for a week of hiking in the Alps?',
];

const viewCount = (page: Page) => page.getByTestId('view-count');

test('a failed judge answer is found by the tag-failure facet, shown raw, and exported', async ({
  page,
  startServer,
}) => {
  await withoutSavePicker(page);
  const server = await startServer({ model: QWEN_MODEL, judge: { wrongLabelFor: 'haiku' } });
  await openWithDataset(page, 'judged');
  await seedInstructions(page, INSTRUCTIONS);
  await connect(page, server, { concurrency: 2 });

  await openView(page, 'Quality');
  await tagUntagged(page);
  await expect(page.getByTestId('judge-failed')).toHaveText('1');
  const stored = (await readStore(page)).records as unknown as PairRecord[];
  const haiku = stored.find((r) => r.instruction === INSTRUCTIONS[1])!;
  const raw = haiku.tag_failure!.raw;
  // The judge's second answer, as the fake server wrote it (fenced JSON naming "Cooking").
  expect(raw).toContain('"primary_tag": "Cooking"');
  expect(haiku.tag_failure!.task).toBe('task_category');

  // Explore: the facet lists the failure by task, and ticking it leaves that one record.
  await openView(page, 'Explore');
  await expect(viewCount(page)).toContainText('4 of 4');
  const facet = page
    .getByRole('navigation', { name: 'Facets' })
    .getByRole('group', { name: 'Tag failure' });
  await expect(facet.getByRole('checkbox', { name: /^task_category/ })).toBeVisible();
  await expect(facet).toContainText('task_category1');
  await facet.getByRole('checkbox', { name: /^task_category/ }).check();
  await expect(page).toHaveURL(/f\.tag_failure=task_category/);
  await expect(viewCount(page)).toContainText('1 of 4');
  await page.getByRole('row').filter({ hasText: 'haiku' }).click();

  // The detail view shows the reason and the raw answer, as text.
  const detail = page.getByRole('complementary', { name: 'Record' });
  const failures = detail.getByRole('region', { name: 'Tag failures' });
  await expect(failures.getByTestId('tag-failure-task_category')).toContainText(
    'is "Cooking", which is not one of',
  );
  expect(await failures.getByLabel('Raw answer (Task category)').textContent()).toBe(raw);

  // The Quality view's link opens the same filter.
  await page.getByRole('button', { name: 'Close record' }).click();
  await openView(page, 'Quality');
  await page.getByRole('link', { name: 'Find them in Explore' }).click();
  await expect(viewCount(page)).toContainText('1 of 4');
  await expect(page.getByRole('row').filter({ hasText: 'haiku' })).toBeVisible();

  // Export with the tags: the failure travels with its raw answer; other rows carry null.
  await openView(page, 'Export & import');
  await page.getByLabel('The whole dataset (every status)').check();
  await page.getByLabel('Magpie (released datasets’ fields)').check();
  await page.getByLabel('Tags as extra fields (uuid, judge tags, review status, scores)').check();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSONL' }).click();
  const text = await readFile((await (await downloading).path())!, 'utf8');
  const rows = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { instruction: string; tag_failure: unknown });
  expect(rows).toHaveLength(4);
  for (const row of rows)
    expect(row.tag_failure).toEqual(
      row.instruction === INSTRUCTIONS[1]
        ? {
            task: 'task_category',
            raw,
            error: haiku.tag_failure!.error,
            generator: QWEN_MODEL,
            at: haiku.tag_failure!.at,
          }
        : null,
    );
});
