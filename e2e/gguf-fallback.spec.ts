/**
 * A GPU lost mid-run on the GGUF engine, for real: the tiny model loaded with GPU offload on
 * Chromium's WebGPU adapter (SwiftShader), then the browser's GPU process crashed
 * (ended by its process id), which loses every WebGPU device. The run stops on the error with its
 * offer, and "Continue on the CPU" loads the same file without offload and resumes the run.
 */
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  openSampling,
  openWithDataset,
  readStore,
  recordCount,
  runStatus,
  setPairs,
} from './support/app';
import { connectedStatus, loadTiny, writeTinyGguf } from './support/gguf';

const DIR = resolve('.test-out/gguf-fallback-e2e');

test('a GPU lost mid-run: Continue on the CPU resumes the run, every pair kept', async ({
  page,
  browser,
}) => {
  test.setTimeout(600_000);
  const tiny = writeTinyGguf(DIR);
  await openWithDataset(page);
  await loadTiny(page, tiny, { gpu: true });
  const connected = connectedStatus(page);
  await setPairs(page, 200);
  await openSampling(page);
  await page.getByLabel('Instruction step: max tokens').fill('24');
  await page.getByLabel('Response step: max tokens').fill('24');
  await page.getByLabel('Keep responses cut by the token limit').check();
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect
    .poll(async () => Number(await recordCount(page).textContent()), { timeout: 240_000 })
    .toBeGreaterThan(2);

  const before = await readStore(page);
  const run = before.runs[0]!;

  // The GPU process of this test's browser, ended by its id: every WebGPU device is lost.
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number }[];
  };
  const gpuProcess = processInfo.find((p) => p.type === 'GPU');
  expect(gpuProcess).toBeDefined();
  process.kill(gpuProcess!.id, 'SIGKILL');

  // The run stops on the error, keeping its pairs, and offers the CPU.
  await expect(runStatus(page)).toHaveText(/Run stopped on an error/, { timeout: 120_000 });
  await expect(page.getByRole('alert').first()).toContainText('The GPU was lost');
  const failed = await readStore(page);
  const failedRun = failed.runs.find((r) => r.id === run.id)!;
  expect(failedRun.status).toBe('failed');
  expect(failed.records).toHaveLength(failedRun.made);
  const kept = failed.records.map((r) => r.uuid);

  await page.getByRole('button', { name: 'Continue on the CPU (1 thread)' }).click();
  await expect(connected).toContainText('tiny-chatml.gguf on 1 CPU thread', { timeout: 120_000 });
  await expect(connected).not.toContainText('WebGPU');
  // The same run goes on: more pairs than at the failure, every earlier one still there.
  await expect
    .poll(async () => Number(await recordCount(page).textContent()), { timeout: 120_000 })
    .toBeGreaterThan(failedRun.made + 2);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(runStatus(page)).toHaveText(/Run stopped/);
  const after = await readStore(page);
  expect(after.runs).toHaveLength(1);
  const resumed = after.runs[0]!;
  expect(resumed).toMatchObject({ id: run.id, status: 'stopped' });
  expect(resumed.made).toBeGreaterThan(failedRun.made);
  expect(after.records).toHaveLength(resumed.made);
  const uuids = new Set(after.records.map((r) => r.uuid));
  for (const uuid of kept) expect(uuids.has(uuid)).toBe(true);
});
