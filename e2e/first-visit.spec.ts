import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { completionPrompts, connect, openSampling, pressGenerate, readStore } from './support/app';
import { QWEN_POST, QWEN_PRE } from './support/qwen';
import { expect, test } from './support/test';

const MODEL = 'Qwen/Qwen2.5-0.5B-Instruct';

/** Where an element's top edge sits on the page. */
async function top(page: Page, locator: ReturnType<Page['locator']>): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not laid out');
  return box.y + (await page.evaluate(() => window.scrollY));
}

test('a first visit reaches a finished 5-pair run using only what the screen offers', async ({
  page,
  baseURL,
  startServer,
}) => {
  // A whole first journey: on a loaded 2-core machine it can take longer than one step's 60 s.
  test.setTimeout(150_000);
  // Slow enough answers that the running layout can be looked at before the run ends.
  const server = await startServer({ model: MODEL, preQuery: QWEN_PRE, delayMs: 1500 });
  const missing: string[] = [];
  // Only the app's own files: the test server answers /props with a 404, as vLLM does.
  page.on('response', (r) => {
    if (r.status() === 404 && r.url().startsWith(baseURL!)) missing.push(r.url());
  });
  const generationWorkers = () => page.workers().filter((w) => w.url().includes('pipeline.worker'));
  // ELD's language data (entry eld/small, src/record-rules/language.ts), by the chunk it is built into.
  const languageData: string[] = [];
  page.on('response', (r) => {
    if (/\/static\.small-[\w-]+\.js$/.test(r.url())) languageData.push(r.url());
  });
  await page.goto('/');

  // A dataset is there already, and it can be renamed; the Generate tab is current.
  const current = page.getByLabel('Current dataset');
  await expect(current.locator('option:checked')).toHaveText('My first dataset');
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('New name').fill('Cooking questions');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(current.locator('option:checked')).toHaveText('Cooking questions');
  await expect(page.getByRole('link', { name: 'Generate' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page).toHaveTitle('Generate · Magpie Studio');

  // The browser's capability is checked, and a model that fits it is suggested.
  await expect(page.getByLabel('WebGPU status')).toContainText('WebGPU ready');
  await expect(page.getByRole('combobox', { name: 'Model', exact: true })).toHaveValue(/.+/);
  await expect(page.getByTestId('model-facts')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Load model' })).toBeEnabled();
  // The model list and its download state are read on the page: the generation worker (the
  // pipeline) starts only when a model connects.
  expect(generationWorkers()).toHaveLength(0);
  // Nor the language detector's data (a chunk of its own, which the worker fetches once).
  expect(languageData).toEqual([]);

  // 1. Model: this machine has no model weights, so the completion server the screen offers.
  await connect(page, server);
  expect(generationWorkers()).toHaveLength(1);

  // The template waits folded, naming the family it detected; sampling is folded too.
  const template = page.locator('details', {
    has: page.locator('summary', { hasText: 'Prompt template' }),
  });
  await expect(template.locator('summary')).toContainText('Qwen2.5');
  await expect(template.getByLabel(/Pre-query template/)).toBeHidden();
  await expect(page.getByLabel('Seed')).toBeHidden();
  await openSampling(page);
  await expect(page.getByLabel('Seed')).toBeVisible();

  // 2. What to make: the method's controls come before Generate, single-turn pairs chosen.
  const make = page.getByRole('region', { name: 'What to make' });
  await expect(make.getByRole('radio', { name: 'Single-turn pairs' })).toBeChecked();
  await expect(make.getByRole('group', { name: 'System prompts' })).toBeVisible();
  await expect(make.getByRole('group', { name: 'Target languages' })).toBeVisible();
  await make.getByLabel('Pairs to make').fill('5');

  // 3. Generate: while the run goes its live view leads the page, above the setup.
  await pressGenerate(page);
  const live = page.getByRole('region', { name: 'Generate', exact: true });
  const model = page.getByRole('region', { name: 'Model', exact: true });
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  expect(await top(page, live)).toBeLessThan(await top(page, model));
  await expect(page.getByTestId('run-status')).toHaveText(/Run finished/, { timeout: 60_000 });
  await expect(page.getByTestId('made')).toHaveText('5 / 5');
  // Finished: the setup leads again.
  expect(await top(page, model)).toBeLessThanOrEqual(await top(page, live));

  const { records } = await readStore(page);
  expect(records).toHaveLength(5);
  expect(languageData).toHaveLength(1);
  expect(records.map((r) => r.language)).toEqual(Array(5).fill('en'));

  // The run's charts: speed over time, drops by reason, and the language mix of its 5 pairs.
  const charts = page.getByRole('region', { name: 'Run charts' });
  await expect(charts.getByRole('img', { name: /^Pairs\/min over time: now \d/ })).toBeVisible();
  await expect(charts.getByRole('img', { name: /^Tokens\/s over time: now \d/ })).toBeVisible();
  await expect(charts.getByRole('img', { name: 'Drops by reason: none yet' })).toBeVisible();
  const language = await charts
    .getByRole('img', { name: /^Language: / })
    .getAttribute('aria-label');
  const counts = [...language!.matchAll(/ (\d+)(,|$)/g)].map((m) => Number(m[1]));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(5);

  // The explainer shows the newest pair's whole text, each part marked with who wrote it.
  const newest = records.reduce((a, b) => (a.createdAt > b.createdAt ? a : b));
  const prompt = page.getByTestId('explained-prompt');
  const part = (role: string) => prompt.locator(`[data-part="${role}"]`);
  const text = (role: string) => part(role).locator('.part-text').textContent();
  await expect(part('Pre-query template')).toHaveClass(/by-app/);
  await expect(part('Instruction')).toHaveClass(/by-model/);
  await expect(part('Post-query template')).toHaveClass(/by-app/);
  await expect(part('Response')).toHaveClass(/by-model/);
  expect(await text('Pre-query template')).toBe(QWEN_PRE);
  expect(await text('Instruction')).toBe(newest.instruction);
  expect(await text('Post-query template')).toBe(QWEN_POST);
  expect(await text('Response')).toBe(newest.response);
  // What it marks as app + model + app is exactly the prompt the server was sent to answer.
  const shown = `${await text('Pre-query template')}${await text('Instruction')}${await text('Post-query template')}`;
  expect(completionPrompts(server)).toContain(shown);

  // The finished view, charts and explainer included, is accessible in both themes.
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(
      violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  }

  expect(missing).toEqual([]);
});

test('views are tabs: the current one is marked, digit keys switch, each has a title', async ({
  page,
}) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Views' });
  await expect(nav.getByRole('link', { name: 'Generate' })).toHaveAttribute('aria-current', 'page');

  await page.keyboard.press('2');
  await expect(page).toHaveURL(/view=explore/);
  await expect(page).toHaveTitle('Explore · Magpie Studio');
  await expect(nav.getByRole('link', { name: 'Explore' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Generate' })).not.toHaveAttribute('aria-current');

  await page.keyboard.press('4');
  await expect(page).toHaveTitle('Export & import · Magpie Studio');
  await expect(page.getByRole('heading', { name: 'Export', exact: true })).toBeVisible();

  // Typing a digit into a field types it; it does not switch views.
  await page.keyboard.press('1');
  await expect(page).toHaveTitle('Generate · Magpie Studio');
  await page.getByLabel('Pairs to make').fill('1');
  await page.getByLabel('Pairs to make').press('3');
  await expect(page).toHaveTitle('Generate · Magpie Studio');
  await expect(page.getByLabel('Pairs to make')).toHaveValue('13');
});
