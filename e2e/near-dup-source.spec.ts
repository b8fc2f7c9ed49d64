import { expect, test } from '@playwright/test';
import { exportWholeDataset, openWithDataset } from './support/app';

// A Magpie release carries the authors' near-duplicate values (from embeddings). The app
// keeps them as the file gave them, keeps its own apart, and the curator chooses which the
// explorer, recipes and export use.
const release = [
  ['r1', 'How do I sort a list of numbers in Python?', 0.31, 0, 'r1'],
  ['r2', 'How do I sort a list of numbers in Python quickly?', 0.29, 0, 'r2'],
  ['r3', 'Write a haiku about the autumn rain in Kyoto.', 0.77, 0, 'r3'],
  ['r4', 'Explain how a bicycle gear ratio changes the effort.', 0.64, 0, 'r4'],
] as const;

const magpieFile = release
  .map(([uuid, instruction, d, n, similar]) =>
    JSON.stringify({
      uuid,
      instruction,
      response: `An answer to: ${instruction}`,
      min_neighbor_distance: d,
      repeat_count: n,
      min_similar_uuid: similar,
    }),
  )
  .join('\n');

const MAGPIE = 'Magpie (released datasets’ fields)';

const nearDup = (rows: unknown[]) =>
  Object.fromEntries(
    (rows as Record<string, unknown>[]).map((r) => [
      r.uuid,
      [r.min_neighbor_distance, r.repeat_count, r.min_similar_uuid],
    ]),
  );

test("an imported release's near-duplicate values are kept beside the app's, and the curator picks which the export uses", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openWithDataset(page, 'Release');
  await page.getByRole('link', { name: 'Export & import' }).click();
  await page.getByLabel('Choose a file').setInputFiles({
    name: 'magpie-release.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(magpieFile),
  });
  await page.getByLabel('Into the current dataset (Release)').check();
  await page.getByRole('button', { name: /^Import as Magpie/ }).click();
  await expect(page.getByTestId('import-imported')).toHaveText('4');

  // The app's own pass: the two sorting questions are one cluster for the text method.
  await page.getByRole('navigation', { name: 'Views' }).getByText('Quality').click();
  await page.getByRole('button', { name: 'Find near-duplicates in all records' }).click();
  await expect(page.getByTestId('dedup-result')).toBeVisible({ timeout: 60_000 });
  const source = page.getByLabel('Near-duplicate values used by the explorer, recipes and export');
  await expect(source).toHaveValue('auto');

  const fileValues = Object.fromEntries(release.map(([u, , d, n, s]) => [u, [d, n, s]]));
  const auto = nearDup(await exportWholeDataset(page, MAGPIE));
  expect(auto.r2![2]).toBe(auto.r1![2]); // one cluster, named by its first record
  expect(auto.r1).not.toEqual(fileValues.r1);

  await page.getByRole('navigation', { name: 'Views' }).getByText('Quality').click();
  await source.selectOption('file');
  await expect(source).toHaveValue('file');
  expect(nearDup(await exportWholeDataset(page, MAGPIE))).toEqual(fileValues);

  // The choice is the dataset's: it holds after a reload, and 'auto' brings the app's back.
  await page.getByRole('navigation', { name: 'Views' }).getByText('Quality').click();
  await expect(source).toHaveValue('file');
  await source.selectOption('auto');
  expect(nearDup(await exportWholeDataset(page, MAGPIE))).toEqual(auto);
});
