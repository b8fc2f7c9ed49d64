import { expect, test, type Page } from '@playwright/test';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server';
import {
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
const MODEL = 'Qwen/Qwen2.5-0.5B-Instruct';

let server: FakeOpenAIServer;
test.afterEach(async () => {
  await server?.close();
});

const alert = (page: Page) => page.getByRole('alert');

test.describe('connecting', () => {
  test('a server that is down is called unreachable', async ({ page }) => {
    server = await startFakeOpenAIServer({ model: MODEL });
    const url = server.baseUrl;
    await server.close();
    await openWithDataset(page);
    await connectServer(page, url);
    await expect(alert(page)).toContainText('Could not connect to');
    await expect(alert(page)).toContainText('Is the server running');
  });

  test('a server without CORS is told apart from one that is down', async ({ page }) => {
    server = await startFakeOpenAIServer({ model: MODEL, mode: 'no-cors' });
    await openWithDataset(page);
    await connectServer(page, server.baseUrl);
    await expect(alert(page)).toContainText('is running, but it refused this page (CORS)');
    await expect(alert(page)).toContainText('--allowed-origins');
  });

  test('a wrong API key is called a wrong API key', async ({ page }) => {
    server = await startFakeOpenAIServer({ model: MODEL, apiKey: 'sk-right' });
    await openWithDataset(page);
    await connectServer(page, server.baseUrl, { apiKey: 'sk-wrong' });
    await expect(alert(page)).toContainText('rejected the API key');
    await connectServer(page, server.baseUrl, { apiKey: 'sk-right' });
    await expectConnected(page, MODEL);
  });

  test('a web page that is not an OpenAI server is called that', async ({ page }) => {
    server = await startFakeOpenAIServer({ model: MODEL, mode: 'html' });
    await openWithDataset(page);
    await connectServer(page, server.url);
    await expect(alert(page)).toContainText('not the OpenAI API');
    await expect(alert(page)).toContainText('/v1');
  });

  test('an unknown model asks for a template family instead of guessing', async ({ page }) => {
    server = await startFakeOpenAIServer({ model: 'my-lab/finetune-7b' });
    await openWithDataset(page);
    await connectServer(page, server.baseUrl);
    await expectConnected(page, 'my-lab/finetune-7b');
    await expect(page.getByText('is not a model family the app knows')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Generate' })).toBeDisabled();
    await page
      .getByLabel('Template family')
      .selectOption({ label: 'Qwen2.5 Instruct (default system prompt)' });
    await expect(page.getByTestId('instruction-prompt')).toContainText(
      'You are Qwen, created by Alibaba Cloud',
    );
    await expect(page.getByRole('button', { name: 'Generate' })).toBeEnabled();
  });
});

test.describe('failing mid-run', () => {
  for (const [mode, words] of [
    ['error500', 'The server failed (HTTP 500)'],
    ['malformed', 'The server sent'],
  ] as const) {
    test(`${mode} answers stop the run clearly, keep every pair, and the run resumes`, async ({
      page,
    }) => {
      server = await startFakeOpenAIServer({
        model: MODEL,
        preQuery: QWEN_PRE,
        failAfter: 10,
        failMode: mode,
      });
      await openWithDataset(page);
      // One sample a request, so failAfter counts samples (a failed batch: batching.spec).
      await connectServer(page, server.baseUrl, { concurrency: 1, batchSize: 1 });
      await expectConnected(page, MODEL);
      await setPairs(page, 12);
      await page.getByRole('button', { name: 'Generate' }).click();
      await expect(runStatus(page)).toHaveText(/Run stopped on an error/, { timeout: 30_000 });
      await expect(alert(page)).toContainText(words);
      const { records, runs } = await readStore(page);
      expect(records).toHaveLength(5); // 10 completions = 5 whole pairs
      expect(runs[0]).toMatchObject({ status: 'failed', made: 5 });
      await expect(recordCount(page)).toHaveText('5');

      server.setMode('ok');
      await page.getByRole('button', { name: 'Resume' }).click();
      await expect(runStatus(page)).toHaveText(/Run finished/);
      await expect(recordCount(page)).toHaveText('12');
    });
  }

  test('a server answering empty text stops the run with an explanation', async ({ page }) => {
    server = await startFakeOpenAIServer({ model: MODEL, preQuery: QWEN_PRE, mode: 'empty' });
    await openWithDataset(page);
    await connectServer(page, server.baseUrl);
    await expectConnected(page, MODEL);
    await setPairs(page, 5);
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(runStatus(page)).toHaveText(/Run stopped on an error/);
    await expect(alert(page)).toContainText('were all dropped (most often: instruction empty)');
    await expect(recordCount(page)).toHaveText('0');
  });
});
