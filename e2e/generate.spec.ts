import type { Page } from '@playwright/test';
import type { FakeOpenAIServer } from './support/fake-openai-server';
import {
  completionPrompts,
  connect,
  generate,
  openWithDataset,
  pressGenerate,
  readStore,
  recordCount,
  resume,
  runStatus,
  setPairs,
} from './support/app';
import { QWEN_MODEL, QWEN_POST, QWEN_PRE } from './support/qwen';
import { expect, test } from './support/test';

test('generates 20 pairs with the model’s exact template and shows them', async ({
  page,
  startServer,
}) => {
  const server = await startServer({ model: QWEN_MODEL, preQuery: QWEN_PRE });
  await openWithDataset(page);
  await connect(page, server);
  await expect(page.getByText('Detected from the model id')).toBeVisible();
  await setPairs(page, 20);
  await generate(page);

  await expect(recordCount(page)).toHaveText('20');
  await expect(page.getByTestId('made')).toHaveText('20 / 20');

  const { records } = await readStore(page);
  expect(records).toHaveLength(20);
  // The server saw exactly the template text: the bare pre-query for instructions,
  // and pre-query + instruction + post-query for responses.
  const prompts = completionPrompts(server);
  const instructionPrompts = prompts.filter((p) => p === QWEN_PRE);
  expect(instructionPrompts).toHaveLength(20);
  for (const r of records) expect(prompts).toContain(QWEN_PRE + r.instruction + QWEN_POST);
  expect(prompts).toHaveLength(40);
  for (const r of records) expect(r.gen_input_configs.pre_query_template).toBe(QWEN_PRE);

  // The list shows them, as text.
  await expect(page.locator('.records .record')).toHaveCount(20);
  await expect(page.locator('.records .record').first()).toContainText('How do I');
});

/** A slow server: 2 connections, one sample per request, so pairs finish one by one. */
const SLOW = { concurrency: 2, batchSize: 1 };

/** Starts a run of `pairs` on `server` (a slow one); returns once `made` are stored. */
async function startSlowRun(page: Page, server: FakeOpenAIServer, pairs: number, made: number) {
  await openWithDataset(page);
  await connect(page, server, SLOW);
  await setPairs(page, pairs);
  await pressGenerate(page);
  await expect
    .poll(async () => Number(await recordCount(page).textContent()))
    .toBeGreaterThanOrEqual(made);
}

const slowServer = { model: 'Qwen/Qwen2.5-0.5B-Instruct', preQuery: QWEN_PRE, delayMs: 150 };

test('a reload mid-run keeps every finished pair, no half pair, and the run resumes', async ({
  page,
  startServer,
}) => {
  const server = await startServer(slowServer);
  await startSlowRun(page, server, 20, 4);

  await page.reload();
  const before = await readStore(page);
  expect(before.records.length).toBeGreaterThanOrEqual(4);
  expect(before.records.length).toBeLessThan(20);
  for (const r of before.records) {
    expect(r.instruction.length).toBeGreaterThan(0);
    expect(r.response.length).toBeGreaterThan(0);
  }
  await expect(recordCount(page)).toHaveText(String(before.records.length));
  await expect(page.locator('tr[data-run-status="interrupted"]')).toHaveCount(1);
  const [run] = before.runs;
  expect(run?.made).toBe(before.records.length);

  // The engine lived in the page that reloaded: connect again, then resume.
  await connect(page, server, SLOW);
  await resume(page);
  const after = await readStore(page);
  expect(after.records).toHaveLength(20);
  expect(after.runs).toHaveLength(1);
  expect(after.runs[0]).toMatchObject({ status: 'done', made: 20 });
  // Resumed samples continue the seed sequence instead of repeating it.
  const seeds = after.records.map((r) => r.gen_input_configs.seed);
  expect(new Set(seeds).size).toBe(20);
});

test('a crashed generation worker keeps every finished pair and the run resumes', async ({
  page,
  startServer,
}) => {
  const server = await startServer(slowServer);
  await startSlowRun(page, server, 16, 3);

  // An uncaught error kills the worker as a crash would; the page hears it as one.
  const pipeline = page.workers().find((w) => w.url().includes('pipeline'));
  expect(pipeline).toBeDefined();
  await pipeline!.evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated crash');
    });
  });
  await expect(
    page.getByRole('alert').filter({ hasText: 'Connect the model again, then resume' }),
  ).toContainText('The generation worker stopped');
  await expect(page.locator('tr[data-run-status="interrupted"]')).toHaveCount(1);
  const kept = await readStore(page);
  expect(kept.records.length).toBeGreaterThanOrEqual(3);
  expect(kept.runs[0]?.made).toBe(kept.records.length);

  // Reconnect (the engine lived in the dead worker) and resume: a fresh worker finishes it.
  await connect(page, server, SLOW);
  await resume(page);
  const after = await readStore(page);
  expect(after.records).toHaveLength(16);
  expect(after.runs[0]).toMatchObject({ status: 'done', made: 16 });
  expect(new Set(after.records.map((r) => r.gen_input_configs.seed)).size).toBe(16);
});

test('stop during a slow server keeps the finished pairs', async ({ page, startServer }) => {
  const server = await startServer({ ...slowServer, delayMs: 400 });
  await openWithDataset(page);
  await connect(page, server, { concurrency: 1, batchSize: 1 });
  await setPairs(page, 50);
  await pressGenerate(page);
  await expect(page.getByLabel('Pair being written')).toBeVisible();
  await expect(recordCount(page)).toHaveText('1', { timeout: 10_000 });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(runStatus(page)).toHaveText(/Run stopped/);
  const { records, runs } = await readStore(page);
  expect(runs[0]?.status).toBe('stopped');
  expect(runs[0]?.made).toBe(records.length);
  await expect(recordCount(page)).toHaveText(String(records.length));
  await expect(page.getByRole('button', { name: 'Resume' })).toBeEnabled();
});
