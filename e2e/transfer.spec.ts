import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { malformedFile } from '../src/formats/fixtures/malformed';
import type { PairRecord, TaskCategory } from '../src/shared/record';
import { pair } from '../src/test-support/fixtures';
import {
  currentDatasetId,
  downloadWholeDataset,
  openWithDataset,
  readStore,
  seedRecords,
  storeRows,
  withoutSavePicker,
} from './support/app';

/** 30 records: a third each kept / rejected / unreviewed, half of them Math. */
function session(datasetId: string): PairRecord[] {
  const reviews = ['kept', 'rejected', 'unreviewed'] as const;
  return Array.from({ length: 30 }, (_, i) => {
    const math = i % 2 === 0;
    const instruction = math ? `What is ${i} times ${i + 1}?` : `How do I sort list number ${i}?`;
    const response = math ? `${i * (i + 1)}, "exactly".\nDone.` : `Use sorted() — case ${i}.`;
    return pair(datasetId, 'run-e2e', {
      createdAt: Date.UTC(2025, 0, 1) + i,
      instruction,
      response,
      conversations: [
        { from: 'human', value: instruction },
        { from: 'gpt', value: response },
      ],
      review: reviews[i % 3],
      task_category: (math ? 'Math' : 'Coding & Debugging') as TaskCategory,
      language: 'en',
    });
  });
}

test('exports the filtered view as ShareGPT, with its card, and imports it back', async ({
  page,
}) => {
  // A browser without the File System Access API: the export arrives as a download.
  await withoutSavePicker(page);
  await openWithDataset(page, 'Curated math');
  const records = session(await currentDatasetId(page));
  await seedRecords(page, records);

  // Filter the explorer's view to Math, then go to Export: it exports that view.
  await page.getByRole('link', { name: 'Explore' }).click();
  await page
    .getByRole('group', { name: 'Category' })
    .getByRole('checkbox', { name: /^Math/ })
    .check();
  await expect(page).toHaveURL(/f\.task_category=Math/);
  await page.getByRole('link', { name: 'Export & import' }).click();
  await expect(page.getByLabel('The current view (explorer’s filter)')).toBeChecked();
  await expect(page.getByLabel('kept', { exact: true })).toBeChecked();
  await page.getByLabel('ShareGPT (conversations: from / value)').check();
  const expected = records.filter((r) => r.task_category === 'Math' && r.review === 'kept');
  await expect(page.getByTestId('export-count')).toHaveText(
    `${expected.length} of 30 records match.`,
  );

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSONL' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('curated-math-sharegpt.jsonl');
  const text = await readFile((await download.path())!, 'utf8');
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(expected.length);
  lines.forEach((line, i) =>
    expect(JSON.parse(line)).toEqual({
      conversations: [
        { from: 'human', value: expected[i]!.instruction },
        { from: 'gpt', value: expected[i]!.response },
      ],
    }),
  );
  await expect(page.getByTestId('export-result')).toContainText(`Wrote ${expected.length} rows`);

  const cardDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save the dataset card (README.md)' }).click();
  const card = await readFile((await (await cardDownload).path())!, 'utf8');
  expect(card).toMatch(/^---\n[\s\S]*num_examples: 5\n[\s\S]*---\n/);
  expect(card).toContain('path: "curated-math-sharegpt.jsonl"');
  expect(card).toContain('task_category is Math');

  await page.getByLabel('Choose a file').setInputFiles((await download.path())!);
  await expect(page.getByTestId('import-detected')).toContainText('looks like ShareGPT');
  await page.getByLabel('New dataset name').fill('Round trip');
  await page.getByRole('button', { name: 'Import as ShareGPT' }).click();
  await expect(page.getByTestId('import-imported')).toHaveText(String(expected.length));
  await expect(page.getByTestId('import-skipped')).toHaveText('0');
  await expect(page.getByTestId('import-duplicates')).toHaveText('0');
  // The import saved the word index it built beside it (its own worker), so the explorer
  // searches the new dataset without reading it again.
  const datasets = await storeRows<{ id: string; name: string }>(page, 'datasets');
  const importedId = datasets.find((d) => d.name === 'Round trip')?.id;
  // Only the new dataset's: the source dataset's own saved index holds these words too.
  const words = (
    await storeRows<{ datasetId: string; count: number; terms: string }>(page, 'explorerSegments')
  )
    .filter((r) => r.datasetId === importedId)
    .map((r) => ({ count: r.count, terms: r.terms.split('\n') }));
  expect(words).toHaveLength(1);
  const segment = words[0];
  expect(segment?.count).toBe(expected.length);
  expect(segment?.terms).toEqual(expect.arrayContaining(['what', 'times', 'exactly', 'done']));

  await expect(page.getByLabel('Current').locator('option', { hasText: 'Round trip' })).toHaveCount(
    1,
  );
  const store = await readStore(page);
  const imported = store.records.filter((r) => r.runId.startsWith('import:'));
  expect(imported.map((r) => [r.instruction, r.response]).sort()).toEqual(
    expected.map((r) => [r.instruction, r.response]).sort(),
  );
  // ShareGPT names no language: the import's cheap tags detected it (ELD, loaded on demand).
  expect(imported.map((r) => r.language)).toEqual(imported.map(() => 'en'));

  // An imported record says what the file did not: unknown, never made-up or "undefined".
  await page.getByRole('combobox', { name: 'Current' }).selectOption({ label: 'Round trip' });
  await page.getByRole('navigation', { name: 'Views' }).getByText('Explore').click();
  // The other dataset's Math filter does not follow it here.
  await expect(page.getByRole('button', { name: 'Clear filter' })).toBeDisabled();
  await page.locator('.xp-row[data-uuid]').first().click();
  const meta = page.locator('.xp-meta');
  await meta.getByText('Metadata').click();
  await expect(meta.locator('div', { hasText: /^engine/ })).toContainText('unknown');
  await expect(meta).not.toContainText('undefined');
});

test("a download's bytes wait in the browser's private storage only until the next export", async ({
  page,
}) => {
  await withoutSavePicker(page);
  await openWithDataset(page, 'Twice');
  await seedRecords(page, session(await currentDatasetId(page)));
  /** The sizes of the export files OPFS holds. */
  const held = () =>
    page.evaluate(async () => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('exports');
      const sizes: number[] = [];
      for await (const handle of (
        dir as unknown as { values(): AsyncIterable<FileSystemFileHandle> }
      ).values())
        sizes.push((await handle.getFile()).size);
      return sizes;
    });

  const first = await downloadWholeDataset(page, 'Magpie (released datasets’ fields)');
  expect(first.toString('utf8').trim().split('\n')).toHaveLength(30);
  expect(await held()).toEqual([first.length]);

  // The next export removes the last one's file: repeated exports do not fill the disk.
  const second = await downloadWholeDataset(page, 'ShareGPT (conversations: from / value)');
  const lines = second.toString('utf8').trim().split('\n');
  expect(lines).toHaveLength(30);
  expect(JSON.parse(lines[0]!)).toHaveProperty('conversations');
  expect(await held()).toEqual([second.length]);
});

test('imports a malformed file: good lines in, each bad line listed with its reason', async ({
  page,
}) => {
  await openWithDataset(page, 'Target');
  await page.getByRole('link', { name: 'Export & import' }).click();
  await page.getByLabel('Choose a file').setInputFiles({
    name: 'messy.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(malformedFile()),
  });
  await expect(page.getByTestId('import-detected')).toContainText('looks like ShareGPT');
  await page.getByLabel('Into the current dataset (Target)').check();
  await page.getByRole('button', { name: 'Import as ShareGPT' }).click();
  await expect(page.getByTestId('import-imported')).toHaveText('4');
  await expect(page.getByTestId('import-skipped')).toHaveText('7');
  await expect(page.getByTestId('import-duplicates')).toHaveText('1');
  const rows = page.getByTestId('import-result').locator('tbody tr');
  await expect(rows).toHaveCount(7);
  await expect(rows.first()).toContainText('2');
  await expect(rows.last()).toContainText('the file ends inside this row');
  const store = await readStore(page);
  expect(store.records).toHaveLength(4);
});

test('streams the export into the file the user picked (File System Access API)', async ({
  page,
}) => {
  // The save dialog is native; stand in for it with a file in the origin's private storage,
  // which is a real FileSystemFileHandle the worker writes through.
  await page.addInitScript(() => {
    (window as { showSaveFilePicker?: unknown }).showSaveFilePicker = async (opts: {
      suggestedName: string;
    }) =>
      (await navigator.storage.getDirectory()).getFileHandle(opts.suggestedName, { create: true });
  });
  await openWithDataset(page, 'Disk');
  const records = session(await currentDatasetId(page));
  await seedRecords(page, records);
  await page.getByRole('link', { name: 'Export & import' }).click();
  await page.getByLabel('The whole dataset (every status)').check();
  await page.getByLabel('Magpie (released datasets’ fields)').check();
  await page.getByRole('button', { name: 'Export JSONL' }).click();
  await expect(page.getByTestId('export-result')).toContainText('Wrote 30 rows');
  const text = await page.evaluate(async () => {
    const dir = await navigator.storage.getDirectory();
    return (await (await dir.getFileHandle('disk-magpie.jsonl')).getFile()).text();
  });
  const lines = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { uuid: string; instruction: string });
  expect(lines.map((l) => [l.uuid, l.instruction])).toEqual(
    records.map((r) => [r.uuid, r.instruction]),
  );
});

test('cancelling an import, or closing the tab during one, leaves the dataset as it was', async ({
  page,
}) => {
  // Two 60,000-row imports started and interrupted, each checked against the store: room for it.
  test.setTimeout(180_000);
  await openWithDataset(page, 'Before');
  const records = session(await currentDatasetId(page));
  await seedRecords(page, records);
  await page.getByRole('link', { name: 'Export & import' }).click();
  const rows = Array.from({ length: 60_000 }, (_, i) =>
    JSON.stringify({
      messages: [
        { role: 'user', content: `Q${i}?` },
        { role: 'assistant', content: 'A.' },
      ],
    }),
  );
  const imported = async () =>
    Number(
      /(\d+) imported/.exec((await page.getByLabel('Import progress').textContent()) ?? '')?.[1] ??
        0,
    );
  const startImport = async () => {
    await page.getByLabel('Choose a file').setInputFiles({
      name: 'big.jsonl',
      mimeType: 'application/jsonl',
      buffer: Buffer.from(rows.join('\n')),
    });
    await page.getByLabel('Into the current dataset (Before)').check();
    await page.getByRole('button', { name: 'Import as OpenAI messages' }).click();
    await expect.poll(imported).toBeGreaterThanOrEqual(1000);
  };
  const storedUuids = async () => (await readStore(page)).records.map((r) => r.uuid).sort();
  const before = records.map((r) => r.uuid).sort();

  await startImport();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('import-result')).toHaveText(
    'Import cancelled; the dataset is as it was before.',
  );
  expect(await storedUuids()).toEqual(before);

  await startImport();
  await page.reload();
  await expect.poll(storedUuids).toEqual(before);
});
