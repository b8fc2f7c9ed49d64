import { expect, test, type Page } from '@playwright/test';
import { storedGroupSizes, type GroupedRecord } from '../src/map/stored-groups';
import { topicRecords } from '../src/map/topic-fixture';
import { currentDatasetId, openWithDataset, readStore, seedRecords } from './support/app';

interface Stored extends GroupedRecord {
  datasetId: string;
}

/** A run as a finished generation leaves it (the legend names a run by its model and date). */
async function seedRun(page: Page, run: object): Promise<void> {
  await page.evaluate(async (row) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('magpie-studio');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('runs', 'readwrite');
      tx.objectStore('runs').put(row);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, run);
}

test('colouring by run, system prompt and near-duplicate cluster matches the stored records', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1400, height: 1300 });
  await openWithDataset(page, 'colours');
  const datasetId = await currentDatasetId(page);
  const records = topicRecords(datasetId, 300, 6);
  // Two runs; three system prompts (one of them none); 14 near-duplicate clusters (record c
  // first, with c + 1 later copies): more groups than the legend has colours.
  let next = 14;
  records.forEach((r, i) => {
    r.runId = i < 190 ? 'run-a' : `import:${datasetId}`;
    if (i % 3 < 2) r.system_prompt = i % 3 ? 'You are a programmer.' : 'You are a chef.';
    r.min_similar_uuid = r.uuid;
    r.repeat_count = 0;
  });
  for (let c = 0; c < 14; c++) {
    records[c]!.repeat_count = c + 1;
    for (let j = 0; j <= c; j++) {
      const copy = records[next++]!;
      copy.min_similar_uuid = records[c]!.uuid;
      copy.repeat_count = 1;
    }
  }
  await seedRecords(page, records);
  const createdAt = Date.UTC(2026, 10, 3, 9, 30);
  await seedRun(page, {
    id: 'run-a',
    datasetId,
    model: 'Qwen/Qwen2.5-1.5B-Instruct',
    createdAt,
    status: 'done',
  });

  await page.getByRole('navigation', { name: 'Views' }).getByText('Map').click();
  await page.getByRole('button', { name: 'Compute map' }).click();
  await expect(page.getByTestId('map-summary')).toContainText('300 records placed by text', {
    timeout: 120_000,
  });

  // What the store holds, grouped the way each colouring means.
  const stored = (await readStore(page)).records as unknown as Stored[];
  const ours = stored.filter((r) => r.datasetId === datasetId);
  expect(ours).toHaveLength(300);
  const byUuid = new Map(ours.map((r) => [r.uuid, r]));
  const labels = { run: 'run', system_prompt: 'system prompt', cluster: 'near-duplicate cluster' };

  for (const field of ['run', 'system_prompt', 'cluster'] as const) {
    await page.getByLabel('Colour by').selectOption({ label: labels[field] });
    const legend = page.getByLabel(`Colour: ${labels[field]}`);
    const sizes = storedGroupSizes(ours, field);
    const ranked = [...sizes.values()].sort((a, b) => b - a);
    const shown = sizes.size > 12 ? 11 : sizes.size;
    const items = legend.locator('li');
    await expect(items).toHaveCount(sizes.size > 12 ? 12 : sizes.size);
    // Each colour is a stored group with its stored count, largest first.
    for (let i = 0; i < shown; i++) {
      const value = (await items.nth(i).getAttribute('data-value'))!;
      expect(sizes.has(value), `${field}: ${value}`).toBe(true);
      await expect(items.nth(i).locator('.count')).toHaveText(
        sizes.get(value)!.toLocaleString('en-US'),
      );
      expect(sizes.get(value)).toBe(ranked[i]);
    }
    // The groups beyond the colours share the last one.
    if (sizes.size > 12)
      await expect(items.nth(11)).toContainText(
        `other values${ranked.slice(11).reduce((s, n) => s + n, 0)}`,
      );
  }

  // Names: a run by its model and date (an import by its id), a cluster by its first instruction.
  await page.getByLabel('Colour by').selectOption({ label: 'run' });
  const runs = page.getByLabel('Colour: run');
  await expect(runs.locator('li[data-value="run-a"]')).toContainText('Qwen/Qwen2.5-1.5B-Instruct');
  await expect(runs.locator(`li[data-value="import:${datasetId}"]`)).toContainText(
    `import ${datasetId.slice(0, 8)}`,
  );
  await page.getByLabel('Colour by').selectOption({ label: 'near-duplicate cluster' });
  const clusters = page.getByLabel('Colour: near-duplicate cluster');
  const biggest = records[13]!;
  await expect(clusters.locator(`li[data-value="${biggest.uuid}"]`)).toContainText(
    `like “${biggest.instruction}”`,
  );
  await expect(clusters.locator('li[data-value=""]')).toContainText('not a near-duplicate');
  expect(byUuid.get(biggest.uuid)!.repeat_count).toBe(14);
});
