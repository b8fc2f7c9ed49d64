import { expect, test, type Page } from '@playwright/test';
import { pair } from '../src/test-support/fixtures';
import { currentDatasetId, openWithDataset, readStore, seedRecords } from './support/app';

const current = (page: Page) => page.getByRole('combobox', { name: 'Current dataset' });

test('renames the current dataset and deletes it with its records', async ({ page }) => {
  await openWithDataset(page, 'Keep me');
  const keepId = await currentDatasetId(page);
  await openWithDataset(page, 'Scratch');
  const scratchId = await currentDatasetId(page);
  await seedRecords(page, [
    pair(scratchId, 'run-a'),
    pair(scratchId, 'run-a'),
    pair(keepId, 'run-b'),
  ]);

  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('New name').fill('Scratch v2');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(current(page).locator('option:checked')).toHaveText('Scratch v2');
  await page.reload();
  await expect(current(page).locator('option:checked')).toHaveText('Scratch v2');

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete dataset' });
  await expect(confirm).toContainText('Delete “Scratch v2” with all its records and runs?');
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  expect((await readStore(page)).records).toHaveLength(3);

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await confirm.getByRole('button', { name: 'Delete “Scratch v2”' }).click();
  await expect(current(page).locator('option')).not.toContainText(['Scratch v2']);
  await expect(current(page).locator('option:checked')).not.toHaveText('Scratch v2');
  const { records } = await readStore(page);
  expect(records.map((r) => r.runId)).toEqual(['run-b']);
  await page.reload();
  await expect(current(page).locator('option', { hasText: 'Scratch v2' })).toHaveCount(0);
  await expect(current(page).locator('option', { hasText: 'Keep me' })).toHaveCount(1);
});

test('a filter made in one dataset does not follow to another one’s export', async ({ page }) => {
  await openWithDataset(page, 'First');
  const first = await currentDatasetId(page);
  await openWithDataset(page, 'Second');
  await seedRecords(page, [pair(first, 'r'), pair(first, 'r')]);
  await current(page).selectOption({ label: 'First' });
  // A filter in the URL, as the explorer leaves it.
  await page.goto('/?view=transfer&q=nothing-matches-this');
  await current(page).selectOption({ label: 'Second' });
  await expect(page).not.toHaveURL(/q=/);
  await current(page).selectOption({ label: 'First' });
  await page.getByLabel('The whole dataset (every status)').check();
  await expect(page.getByTestId('export-count')).toHaveText('2 of 2 records match.', {
    timeout: 60_000,
  });
});
