import type { Page } from '@playwright/test';
import { syntheticRecords } from '../src/dataset/synthetic';
import { recordMatches, type ViewFilter } from '../src/shared/filter';
import type { PairRecord } from '../src/shared/record';
import {
  connect,
  currentDatasetId,
  openView,
  openWithDataset,
  pressGenerate,
  readStore,
  seedRecords,
  setPairs,
} from './support/app';
import { expect, test } from './support/test';

const XSS =
  'Here is markup:\n\n<script>window.__xss = 1</script>\n\n<img src="x" onerror="window.__xss = 2">\n\n' +
  '[click](javascript:window.__xss=3)\n\n```python\nprint("<b>not bold</b>")\n```\n\nThe end.';

/** A few thousand records with realistic shapes, some planted for the steps below. */
function makeRecords(datasetId: string, count: number): PairRecord[] {
  const next = syntheticRecords({ datasetId, seed: 3, vocabulary: 3000 });
  return Array.from({ length: count }, (_, i) => {
    const r = next(i);
    r.response = r.response.slice(0, 200 + (i % 600));
    r.response_length = r.response.length;
    if (i % 500 === 7) r.instruction = `Explain the zanzibarian trade routes ${i}?`;
    if (i === 42) r.response = XSS;
    r.instruction_length = r.instruction.length;
    r.conversations = [
      { from: 'human', value: r.instruction },
      { from: 'gpt', value: r.response },
    ];
    return r;
  });
}

const viewCount = (page: Page) => page.getByTestId('view-count');
const rows = (page: Page) => page.locator('.xp-row');
const expectedCount = (records: PairRecord[], filter: ViewFilter) =>
  records.filter((r) => recordMatches(r, filter)).length.toLocaleString('en-US');

test('a curator searches, filters, sorts, reviews with the keyboard, edits, bulk-rejects, and finds it all after a reload', async ({
  page,
}) => {
  // One curator's whole session in one test (each step builds on the last): room for it.
  test.setTimeout(180_000);
  await openWithDataset(page, 'explore');
  const records = makeRecords(await currentDatasetId(page), 3000);
  await seedRecords(page, records);
  await openView(page, 'Explore');
  await expect(viewCount(page)).toContainText('3,000 of 3,000');

  // Search: word starts, over instruction and response.
  await page.getByLabel(/Search instructions/).fill('zanzibar');
  await expect(viewCount(page)).toContainText(
    `${expectedCount(records, { q: 'zanzibar' })} of 3,000`,
  );
  await expect(rows(page).first()).toContainText('zanzibarian');
  await page.getByLabel(/Search instructions/).fill('');

  // Facets, with counts under the filter.
  const facets = page.getByRole('navigation', { name: 'Facets' });
  const german: ViewFilter = { facets: { language: ['de'] } };
  await facets.getByRole('group', { name: 'Language' }).getByLabel('de').check();
  await expect(viewCount(page)).toContainText(`${expectedCount(records, german)} of 3,000`);
  await expect(page).toHaveURL(/f\.language=de/);

  // Sort by response length, shortest first.
  await page
    .getByRole('columnheader', { name: /Resp\. chars/ })
    .getByRole('button')
    .click();
  await expect(page).toHaveURL(/sort=response_length\.asc/);
  const shortest = Math.min(
    ...records.filter((r) => recordMatches(r, german)).map((r) => r.response_length),
  );
  await expect(rows(page).first().getByRole('cell').nth(4)).toHaveText(String(shortest));

  // Open the first record, keep it (y) and reject the next (n): each moves on.
  await rows(page).first().click();
  const detail = page.getByRole('complementary', { name: 'Record' });
  await expect(detail).toContainText('Record 1 of');
  const first = await rows(page).nth(0).getAttribute('data-uuid');
  const second = await rows(page).nth(1).getAttribute('data-uuid');
  await page.keyboard.press('y');
  await expect(detail).toContainText('Record 2 of');
  await page.keyboard.press('n');
  await expect(detail).toContainText('Record 3 of');
  await page.keyboard.press('k');
  await expect(detail).toContainText('Record 2 of');
  await expect(detail.getByTestId('detail-status')).toHaveText('rejected');

  // Edit the response: the original stays beside it.
  await page.keyboard.press('e');
  await detail.getByLabel('Response').fill('A better answer, written by the curator.');
  await page.keyboard.press('Control+Enter');
  await expect(
    detail.getByRole('region', { name: 'Conversation' }).getByText('edited'),
  ).toBeVisible();
  await expect(detail.getByLabel('Assistant turn')).toHaveText(
    'A better answer, written by the curator.',
  );
  await expect(detail.getByText('Original, as generated')).toBeVisible();

  // Bulk: reject everything the filter shows.
  await page.getByRole('button', { name: 'Reject all' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rejected' })).toBeVisible();
  const rejectedFacet = facets.getByRole('group', { name: 'Status' }).getByLabel('rejected');
  await rejectedFacet.check();
  await expect(viewCount(page)).toContainText(`${expectedCount(records, german)} of 3,000`);

  const { records: stored } = await readStore(page);
  const byId = new Map(stored.map((r) => [r.uuid, r as unknown as PairRecord]));
  expect(byId.get(first!)?.review).toBe('rejected'); // kept, then bulk-rejected
  expect(byId.get(second!)?.edited?.response).toBe('A better answer, written by the curator.');
  expect(byId.get(second!)?.response).toBe(records.find((r) => r.uuid === second)!.response);
  const germans = records.filter((r) => recordMatches(r, german));
  expect(germans.every((r) => byId.get(r.uuid)?.review === 'rejected')).toBe(true);
  expect(stored.filter((r) => (r as unknown as PairRecord).review === 'rejected')).toHaveLength(
    germans.length,
  );

  // A reload shows the same view, the same statuses and the open record.
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await expect(viewCount(page)).toContainText(`${expectedCount(records, german)} of 3,000`);
  await expect(page.getByRole('columnheader', { name: /Resp\. chars/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expect(detail.getByTestId('detail-status')).toHaveText('rejected');
  await expect(rejectedFacet).toBeChecked();
  await page.goBack(); // the filter before "rejected" was ticked
  await expect(rejectedFacet).not.toBeChecked();
});

test('generated markup renders as inert text; code blocks stay code', async ({ page }) => {
  await openWithDataset(page, 'xss');
  const records = makeRecords(await currentDatasetId(page), 60);
  await seedRecords(page, records);
  await openView(page, 'Explore');
  await page.locator(`.xp-row[data-uuid="${records[42]!.uuid}"]`).click();
  const reply = page.getByRole('complementary', { name: 'Record' }).getByLabel('Assistant turn');
  await expect(reply).toContainText('<script>window.__xss = 1</script>');
  await expect(reply).toContainText('<img src="x" onerror="window.__xss = 2">');
  await expect(reply.locator('script, img, [onerror]')).toHaveCount(0);
  await expect(reply.locator('a[href^="javascript"]')).toHaveCount(0);
  await expect(reply.locator('pre code')).toHaveText('print("<b>not bold</b>")');
  await page.waitForTimeout(200);
  expect(
    await page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
  ).toBeUndefined();
});

test('records from a running generation appear without moving the row under the cursor', async ({
  page,
  startServer,
}) => {
  const server = await startServer({ model: 'Qwen/Qwen2.5-0.5B-Instruct', delayMs: 150 });
  await openWithDataset(page, 'live');
  await seedRecords(page, makeRecords(await currentDatasetId(page), 400));
  // One sample a request, so records keep arriving one by one while the test watches (batched,
  // the 60 pairs would all land in two answers before the first reading).
  await connect(page, server, { concurrency: 2, batchSize: 1 });
  await setPairs(page, 60);
  await pressGenerate(page);
  await openView(page, 'Explore');
  await expect(viewCount(page)).toContainText(/of [4-9]\d\d/);

  // Newest first: new records land above. Scroll down and note the row at a fixed height.
  await page.locator('.xp-scroll').evaluate((el) => (el.scrollTop = 44 * 100));
  const row = page.locator('.xp-row[data-row-index="105"]');
  await expect(row).toHaveAttribute('data-uuid', /.+/);
  const uuid = (await row.getAttribute('data-uuid'))!;
  // Where the row is on screen, read by uuid (a refresh may land between two reads) in the
  // page, at a frame, as the user sees it.
  const same = page.locator(`.xp-row[data-uuid="${uuid}"]`);
  const screenY = () =>
    page.evaluate(
      (id) =>
        new Promise<number | undefined>((resolve) =>
          requestAnimationFrame(() =>
            resolve(
              document.querySelector(`.xp-row[data-uuid="${id}"]`)?.getBoundingClientRect().top,
            ),
          ),
        ),
      uuid,
    );
  const y = (await screenY())!;
  expect(y).toBeDefined();
  const inView = async () =>
    Number((await viewCount(page).locator('strong').textContent())!.replace(/,/g, ''));
  const before = await inView();
  await expect.poll(inView, { timeout: 20_000 }).toBeGreaterThanOrEqual(before + 5);
  await expect(same).not.toHaveAttribute('data-row-index', '105'); // it moved down the list…
  // …but not on screen.
  expect(Math.abs((await screenY())! - y)).toBeLessThan(2);
});
