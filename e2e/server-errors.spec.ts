import type { Page } from '@playwright/test';
import {
  connect,
  openWithDataset,
  pressGenerate,
  readStore,
  recordCount,
  resume,
  runStatus,
  setPairs,
  tryConnecting,
} from './support/app';
import { QWEN_PRE } from './support/qwen';
import { expect, test } from './support/test';

const MODEL = 'Qwen/Qwen2.5-0.5B-Instruct';

const alert = (page: Page) => page.getByRole('alert');

test.describe('connecting', () => {
  test('a server that is down is called unreachable', async ({ page, startServer }) => {
    const server = await startServer({ model: MODEL });
    const url = server.baseUrl;
    await server.close();
    await openWithDataset(page);
    await tryConnecting(page, url);
    await expect(alert(page)).toContainText('Could not connect to');
    await expect(alert(page)).toContainText('Is the server running');
  });

  test('a server without CORS is told apart from one that is down', async ({
    page,
    startServer,
  }) => {
    const server = await startServer({ model: MODEL, mode: 'no-cors' });
    await openWithDataset(page);
    await tryConnecting(page, server.baseUrl);
    await expect(alert(page)).toContainText('is running, but it refused this page (CORS)');
    await expect(alert(page)).toContainText('--allowed-origins');
  });

  test('a wrong API key is called a wrong API key', async ({ page, startServer }) => {
    const server = await startServer({ model: MODEL, apiKey: 'sk-right' });
    await openWithDataset(page);
    await tryConnecting(page, server.baseUrl, { apiKey: 'sk-wrong' });
    await expect(alert(page)).toContainText('rejected the API key');
    await connect(page, server, { apiKey: 'sk-right' });
  });

  test('a web page that is not an OpenAI server is called that', async ({ page, startServer }) => {
    const server = await startServer({ model: MODEL, mode: 'html' });
    await openWithDataset(page);
    await tryConnecting(page, server.url);
    await expect(alert(page)).toContainText('not the OpenAI API');
    await expect(alert(page)).toContainText('/v1');
  });

  test('an unknown model asks for a template family instead of guessing', async ({
    page,
    startServer,
  }) => {
    const server = await startServer({ model: 'my-lab/finetune-7b' });
    await openWithDataset(page);
    await connect(page, server);
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
      startServer,
    }) => {
      const server = await startServer({
        model: MODEL,
        preQuery: QWEN_PRE,
        failAfter: 10,
        failMode: mode,
      });
      await openWithDataset(page);
      // One sample a request, so failAfter counts samples (a failed batch: batching.spec).
      await connect(page, server, { concurrency: 1, batchSize: 1 });
      await setPairs(page, 12);
      await pressGenerate(page);
      await expect(runStatus(page)).toHaveText(/Run stopped on an error/, { timeout: 30_000 });
      await expect(alert(page)).toContainText(words);
      const { records, runs } = await readStore(page);
      expect(records).toHaveLength(5); // 10 completions = 5 whole pairs
      expect(runs[0]).toMatchObject({ status: 'failed', made: 5 });
      await expect(recordCount(page)).toHaveText('5');

      server.setMode('ok');
      await resume(page);
      await expect(recordCount(page)).toHaveText('12');
    });
  }

  test('a server answering empty text stops the run with an explanation', async ({
    page,
    startServer,
  }) => {
    const server = await startServer({ model: MODEL, preQuery: QWEN_PRE, mode: 'empty' });
    await openWithDataset(page);
    await connect(page, server);
    await setPairs(page, 5);
    await pressGenerate(page);
    await expect(runStatus(page)).toHaveText(/Run stopped on an error/);
    await expect(alert(page)).toContainText('were all dropped (most often: instruction empty)');
    await expect(recordCount(page)).toHaveText('0');
  });
});
