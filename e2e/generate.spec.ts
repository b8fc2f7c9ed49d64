import { expect, test, type Page } from '@playwright/test';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server';
import {
  completionPrompts,
  connectServer,
  expectConnected,
  openWithDataset,
  readStore,
  recordCount,
  runStatus,
  setPairs,
} from './support/app';

const QWEN_PRE =
  '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n';
const QWEN_POST = '<|im_end|>\n<|im_start|>assistant\n';

let server: FakeOpenAIServer;
test.afterEach(async () => {
  await server?.close();
});

test('generates 20 pairs with the model’s exact template and shows them', async ({ page }) => {
  server = await startFakeOpenAIServer({ model: 'Qwen/Qwen2.5-1.5B-Instruct', preQuery: QWEN_PRE });
  await openWithDataset(page);
  await connectServer(page, server.baseUrl);
  await expectConnected(page, 'Qwen/Qwen2.5-1.5B-Instruct');
  await expect(page.getByText('Detected from the model id')).toBeVisible();
  await setPairs(page, 20);
  await page.getByRole('button', { name: 'Generate' }).click();

  await expect(runStatus(page)).toHaveText(/Run finished/);
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

/**
 * Starts a run of `pairs` on a slow server (2 connections, one sample per request so pairs
 * finish one by one); returns once `made` are stored.
 */
async function runOnSlowServer(page: Page, pairs: number, made: number) {
  server = await startFakeOpenAIServer({
    model: 'Qwen/Qwen2.5-0.5B-Instruct',
    preQuery: QWEN_PRE,
    delayMs: 150,
  });
  await openWithDataset(page);
  await connectServer(page, server.baseUrl, { concurrency: 2, batchSize: 1 });
  await expectConnected(page, 'Qwen2.5-0.5B');
  await setPairs(page, pairs);
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect
    .poll(async () => Number(await recordCount(page).textContent()))
    .toBeGreaterThanOrEqual(made);
}

/** Connects to the slow server again and resumes the interrupted run to its end. */
async function reconnectAndResume(page: Page) {
  await connectServer(page, server.baseUrl, { concurrency: 2, batchSize: 1 });
  await expectConnected(page, 'Qwen2.5-0.5B');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(runStatus(page)).toHaveText(/Run finished/);
}

test('a reload mid-run keeps every finished pair, no half pair, and the run resumes', async ({
  page,
}) => {
  await runOnSlowServer(page, 20, 4);

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

  await reconnectAndResume(page);
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
}) => {
  await runOnSlowServer(page, 16, 3);

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
  await reconnectAndResume(page);
  const after = await readStore(page);
  expect(after.records).toHaveLength(16);
  expect(after.runs[0]).toMatchObject({ status: 'done', made: 16 });
  expect(new Set(after.records.map((r) => r.gen_input_configs.seed)).size).toBe(16);
});

test('stop during a slow server keeps the finished pairs', async ({ page }) => {
  server = await startFakeOpenAIServer({
    model: 'Qwen/Qwen2.5-0.5B-Instruct',
    preQuery: QWEN_PRE,
    delayMs: 400,
  });
  await openWithDataset(page);
  await connectServer(page, server.baseUrl, { concurrency: 1, batchSize: 1 });
  await expectConnected(page, 'Qwen2.5-0.5B');
  await setPairs(page, 50);
  await page.getByRole('button', { name: 'Generate' }).click();
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
