import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { pair } from '../src/test-support/fixtures';
import { currentDatasetId, openWithDataset, seedRecords } from './support/app';
import { VIEWS } from '../src/ui/views';

const VIEW_LABELS = VIEWS.map((v) => v.label);

/** What axe finds that a user of a screen reader or keyboard would hit hard. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${v.help}`));
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every view has no serious or critical axe violations (${colorScheme} theme)`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme });
    await openWithDataset(page, 'Accessible');
    const datasetId = await currentDatasetId(page);
    await seedRecords(
      page,
      Array.from({ length: 8 }, (_, i) =>
        pair(datasetId, 'run-a11y', {
          createdAt: Date.UTC(2025, 0, 1) + i,
          review: i % 2 ? 'kept' : 'unreviewed',
        }),
      ),
    );
    await page.reload();
    const found: Record<string, string[]> = {};
    for (const label of VIEW_LABELS) {
      await page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('link', { name: label })
        .click();
      await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
      if (label === 'Explore') {
        // With a record open: the detail view is part of the view.
        await page.getByRole('row').filter({ hasText: 'Instruction number' }).first().click();
        await expect(page.getByRole('complementary', { name: 'Record' })).toBeVisible();
      }
      if (label === 'Export & import') await page.getByLabel('The Hugging Face Hub').check();
      found[label] = await seriousViolations(page);
    }
    expect(found).toEqual(Object.fromEntries(VIEW_LABELS.map((l) => [l, []])));
  });
}
