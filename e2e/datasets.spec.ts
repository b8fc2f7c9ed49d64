import type { Page } from '@playwright/test';
import { pair } from '../src/test-support/fixtures';
import {
  connect,
  currentDatasetId,
  openWithDataset,
  pressGenerate,
  readStore,
  recordCount,
  runStatus,
  seedRecords,
  setPairs,
} from './support/app';
import { QWEN_PRE } from './support/qwen';
import { expect, test } from './support/test';

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

/**
 * Holds a write transaction on one of the app's IndexedDB stores, as a busy disk or another
 * tab's write would: the page's reads of that store wait until `release` is called.
 */
async function holdStore(page: Page, store: string): Promise<{ release: () => Promise<void> }> {
  await page.evaluate(
    (name) =>
      new Promise<void>((held, failed) => {
        const open = indexedDB.open('magpie-studio');
        open.onerror = () => failed(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(name, 'readwrite');
          const target = tx.objectStore(name);
          let holding = true;
          (window as { releaseStore?: () => void }).releaseStore = () => (holding = false);
          // A transaction stays open while it has requests: keep asking until released.
          const spin = () => {
            if (holding) target.count().onsuccess = spin;
          };
          spin();
          tx.oncomplete = () => db.close();
          held();
        };
      }),
    store,
  );
  return {
    release: () => page.evaluate(() => (window as { releaseStore?: () => void }).releaseStore!()),
  };
}

test('right after a switch, the Generate view offers no run of the dataset switched away from', async ({
  page,
  startServer,
}) => {
  // A run made and stopped, then two switches: room for it on a loaded machine.
  test.setTimeout(120_000);
  const server = await startServer({
    model: 'Qwen/Qwen2.5-0.5B-Instruct',
    preQuery: QWEN_PRE,
    delayMs: 400,
  });
  await openWithDataset(page, 'Second');
  await openWithDataset(page, 'First');
  // A run in First, stopped after its first pair: the Runs list offers to resume it.
  await connect(page, server, { concurrency: 1, batchSize: 1 });
  await setPairs(page, 50);
  await pressGenerate(page);
  await expect.poll(async () => Number(await recordCount(page).textContent())).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(runStatus(page)).toHaveText(/Run stopped/);
  const resumeFirst = page.locator('tr[data-run-status="stopped"]').getByRole('button', {
    name: 'Resume',
  });
  await expect(resumeFirst).toBeEnabled();
  const firstRun = (await readStore(page)).runs[0]!;

  // Switch while the runs store is busy, so Second's runs are still being read.
  const busy = await holdStore(page, 'runs');
  await current(page).selectOption({ label: 'Second' });
  await expect(current(page).locator('option:checked')).toHaveText('Second');
  // Second has no runs: First's run is not offered here, not even before Second's are read.
  await expect(page.locator('tr[data-run-status]')).toHaveCount(0);
  await busy.release();
  await expect(page.locator('tr[data-run-status]')).toHaveCount(0);

  // Back in First, its run is offered again, untouched.
  await current(page).selectOption({ label: 'First' });
  await expect(resumeFirst).toBeEnabled();
  expect((await readStore(page)).runs).toEqual([firstRun]);
});
