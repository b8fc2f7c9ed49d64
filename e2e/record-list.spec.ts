import { pair } from '../src/test-support/fixtures';
import { currentDatasetId, openWithDataset, seedRecords } from './support/app';
import { expect, test } from './support/test';

/** `count` records in a dataset, each named by the dataset and its number, newest last. */
const records = (datasetId: string, name: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    pair(datasetId, 'imported', {
      instruction: `${name} question ${i}?`,
      createdAt: 1_700_000_000_000 + i * 1000,
    }),
  );

test('the record list opens another dataset at its newest records, not at the page left in the last one', async ({
  page,
}) => {
  await openWithDataset(page, 'Second');
  const second = await currentDatasetId(page);
  await openWithDataset(page, 'First');
  const first = await currentDatasetId(page);
  await seedRecords(page, [...records(first, 'First', 60), ...records(second, 'Second', 70)]);
  await page.reload();

  const list = page.getByRole('region', { name: /^Records/ });
  await expect(list.getByText('Page 1 of 2')).toBeVisible();
  await list.getByRole('button', { name: 'Older' }).click();
  await expect(list.getByText('Page 2 of 2')).toBeVisible();
  await expect(list.locator('.instruction').first()).toHaveText('First question 9?');

  await page.getByRole('combobox', { name: 'Current dataset' }).selectOption({ label: 'Second' });
  await expect(list.locator('.instruction').first()).toHaveText('Second question 69?');
  await expect(list.getByText('Page 1 of 2')).toBeVisible();
  await expect(list.getByRole('button', { name: 'Newer' })).toBeDisabled();
});
