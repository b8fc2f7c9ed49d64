import { expect, test, type Page } from '@playwright/test';
import { topicRecords } from '../src/map/topic-fixture';
import { parseRegion, regionTest } from '../src/shared/region';
import { currentDatasetId, openWithDataset, readStore, seedRecords } from './support/app';
import { readLayout } from './support/map-store';

/** Squares of a sixteenth of a map unit, counted here from the stored positions. */
function cells(xy: number[]): Set<string> {
  const out = new Set<string>();
  for (let k = 0; k < xy.length; k += 2)
    out.add(`${Math.floor(xy[k]! * 16)},${Math.floor(xy[k + 1]! * 16)}`);
  return out;
}

async function storedCount(page: Page, datasetId: string): Promise<number> {
  const { records } = await readStore(page);
  return records.filter((r) => (r as unknown as { datasetId: string }).datasetId === datasetId)
    .length;
}

test('coverage against another dataset: both on one map, counts, only-here squares as the filter', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await page.setViewportSize({ width: 1400, height: 1300 });
  await openWithDataset(page, 'ours');
  const baseId = await currentDatasetId(page);
  // Ours lacks the astronomy topic; theirs has it.
  await seedRecords(
    page,
    topicRecords(baseId, 900, 4).filter((r) => r.task_category !== 'Information seeking'),
  );
  await page.getByLabel('New dataset').fill('theirs');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => currentDatasetId(page)).not.toBe(baseId);
  const otherId = await currentDatasetId(page);
  const theirs = topicRecords(otherId, 300, 9);
  await seedRecords(page, theirs);
  await page.getByLabel('Current dataset').selectOption({ label: 'ours' });

  await page.getByRole('navigation', { name: 'Views' }).getByText('Map').click();
  await page.getByRole('button', { name: 'Compute map' }).click();
  await expect(page.getByTestId('map-summary')).toContainText('600 records placed by text', {
    timeout: 120_000,
  });
  await page.getByLabel('Compare with').selectOption({ label: 'theirs' });
  await page.getByRole('button', { name: 'Place it on this map' }).click();
  const legend = page.getByLabel('Colour: dataset');
  await expect(legend).toBeVisible({ timeout: 120_000 });

  // Done: nothing left saying it is still at work.
  await expect(page.getByRole('button', { name: 'Place it again' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Stop' })).toHaveCount(0);
  // The legend counts what is stored: every record of each dataset, each placed once.
  const layout = (await readLayout(page, baseId))!;
  const overlay = layout.overlays.find((o) => o.datasetId === otherId)!;
  expect(new Set(overlay.uuids.split('\n'))).toEqual(new Set(theirs.map((r) => r.uuid)));
  const ours = await storedCount(page, baseId);
  expect(ours).toBe(600);
  expect(layout.uuids.split('\n')).toHaveLength(ours);
  await expect(legend.locator('li[data-dataset="base"]')).toContainText('ours');
  await expect(legend.locator('li[data-dataset="base"] .count')).toHaveText(
    ours.toLocaleString('en-US'),
  );
  await expect(legend.locator('li[data-dataset="other"] .count')).toHaveText(
    (await storedCount(page, otherId)).toLocaleString('en-US'),
  );

  // Coverage as shown equals the squares counted from the stored positions.
  const a = cells(layout.xy);
  const b = cells(overlay.xy);
  const both = [...a].filter((c) => b.has(c)).length;
  const summary = page.getByTestId('map-coverage');
  await expect(summary.locator('[data-cells="only-base"]')).toHaveText(String(a.size - both));
  await expect(summary.locator('[data-cells="only-other"]')).toHaveText(String(b.size - both));
  await expect(summary.locator('[data-cells="both"]')).toHaveText(String(both));
  // The topic ours lacks is ground only theirs covers, on islands beside our map.
  const theirTopic = new Map(theirs.map((r) => [r.uuid, r.task_category]));
  const astronomy = overlay.uuids
    .split('\n')
    .flatMap((u, k) =>
      theirTopic.get(u) === 'Information seeking'
        ? [overlay.xy[2 * k]!, overlay.xy[2 * k + 1]!]
        : [],
    );
  for (const c of cells(astronomy)) expect(a.has(c)).toBe(false);
  await expect(summary).toContainText(
    `${overlay.novel} records of theirs are near nothing in ours`,
  );
  expect(overlay.novel).toBeGreaterThanOrEqual(100);

  // The squares only ours covers become the explorer's filter: our records in them.
  await summary.getByRole('button', { name: 'Select the squares only ours covers' }).click();
  await expect(page).toHaveURL(/region=/);
  const region = parseRegion(new URL(page.url()).searchParams.get('region'))!;
  const inside = regionTest(region);
  const expected = layout.uuids.split('\n').filter((_, p) => {
    const [cell] = cells([layout.xy[2 * p]!, layout.xy[2 * p + 1]!]);
    return !b.has(cell!);
  }).length;
  expect(expected).toBeGreaterThan(0);
  expect(
    layout.uuids.split('\n').filter((_, p) => inside(layout.xy[2 * p]!, layout.xy[2 * p + 1]!))
      .length,
  ).toBe(expected);
  await expect(page.getByTestId('map-summary')).toContainText(
    `${expected.toLocaleString('en-US')} in the current filter`,
  );
  await page.getByRole('link', { name: 'Show them in Explore' }).click();
  await expect(page.getByTestId('view-count')).toContainText(
    `${expected.toLocaleString('en-US')} of 600`,
  );

  // Reopened, the comparison is read from the store, not placed again.
  await page.getByRole('button', { name: 'Map region ✕' }).click();
  await page.getByRole('navigation', { name: 'Views' }).getByText('Map').click();
  await page.reload();
  await expect(legend.locator('li[data-dataset="other"] .count')).toHaveText('300');
  await expect(page.getByRole('button', { name: 'Place it again' })).toBeVisible();

  // Deleting the compared dataset takes it off this map: not drawn, not chosen, not stored.
  await page.getByLabel('Current dataset').selectOption({ label: 'theirs' });
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page
    .getByRole('alertdialog', { name: 'Delete dataset' })
    .getByRole('button', { name: 'Delete “theirs”' })
    .click();
  await expect.poll(() => currentDatasetId(page)).not.toBe(otherId);
  await page.getByLabel('Current dataset').selectOption({ label: 'ours' });
  await expect(page.getByTestId('map-summary')).toContainText('600 records placed by text');
  await expect(page.getByLabel('Topic map')).toHaveAttribute('data-points', '600');
  await expect(legend).toHaveCount(0);
  await expect(page.getByTestId('map-coverage')).toHaveCount(0);
  await expect(page).not.toHaveURL(/compare=/);
  // Not chosen, nor offered: no select lists it. (The compare control itself is gone when no
  // other dataset is left, which depends on whether the first visit's own dataset was made
  // before 'ours'.)
  await expect(page.locator('select option', { hasText: 'theirs' })).toHaveCount(0);
  expect((await readLayout(page, baseId))!.overlays).toEqual([]);
});
