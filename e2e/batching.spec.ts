/**
 * Batched requests, tried as a user would against the fake server on 127.0.0.1: what the
 * settings say, every prompt the server received, the pairs stored, a failed batch losing
 * nothing, a stop keeping every finished pair, and a server that refuses batches.
 */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './support/fake-openai-server';
import {
  completionSamples,
  connectServer,
  openWithDataset,
  readStore,
  recordCount,
  runStatus,
  setPairs,
} from './support/app';

const MODEL = 'Qwen/Qwen2.5-1.5B-Instruct';
const PRE =
  '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n';
const POST = '<|im_end|>\n<|im_start|>assistant\n';

// Runs of 40 pairs with a server latency: give a loaded 2-core machine room.
test.describe.configure({ timeout: 240_000 });
const expect = baseExpect.configure({ timeout: 60_000 });
const expectConnected = (page: Page, model: string) =>
  expect(page.getByRole('status').filter({ hasText: 'Connected to' })).toContainText(model);

let server: FakeOpenAIServer;
test.afterEach(async () => {
  await server?.close();
});

const completionBodies = (s: FakeOpenAIServer) =>
  s.requests
    .filter((r) => r.method === 'POST' && r.path === '/v1/completions')
    .map((r) => r.body as { prompt: string | string[]; n?: number; seed?: number })
    .filter((b) => b.prompt !== 'Hello' && !(Array.isArray(b.prompt) && b.prompt[0] === 'Hello'));

test('batches samples into n and prompt arrays; a failed batch is retried and loses nothing', async ({
  page,
}) => {
  // Request 5 (after the 2 probe requests: a batch of the run) fails once with a 500.
  server = await startFakeOpenAIServer({
    model: MODEL,
    preQuery: PRE,
    delayMs: 100,
    failRequests: [5],
  });
  await openWithDataset(page);
  await connectServer(page, server.baseUrl, { concurrency: 2, batchSize: 8 });
  await expectConnected(page, 'Qwen2.5-1.5B');
  await expect(page.getByTestId('batching-note')).toHaveText(
    /several samples of one prompt \(n\).*up to 2 × 8 = 16 samples in flight/,
  );
  await setPairs(page, 40);
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(runStatus(page)).toHaveText(/Run finished/);
  await expect(recordCount(page)).toHaveText('40');
  await expect(page.getByTestId('requests-in-flight')).toBeVisible();

  const { records, runs } = await readStore(page);
  expect(records).toHaveLength(40);
  expect(runs[0]?.made).toBe(40);
  // The requests: instruction steps as n samples of the bare pre-query, response steps as
  // prompt arrays; never more than the 2 connections at once on the server's side.
  const bodies = completionBodies(server);
  expect(bodies.some((b) => b.prompt === PRE && (b.n ?? 1) > 1)).toBe(true);
  expect(bodies.some((b) => Array.isArray(b.prompt) && b.prompt.length > 1)).toBe(true);
  expect(
    bodies.every((b) => (b.n ?? 1) <= 8 && (Array.isArray(b.prompt) ? b.prompt.length : 1) <= 8),
  ).toBe(true);
  expect(server.maxInFlight()).toBeLessThanOrEqual(2);
  expect(bodies.length).toBeLessThan(40); // far fewer requests than the 80 samples

  // Every stored pair: its instruction is a sample the server gave for the exact pre-query,
  // with that sample's seed, and its response answers the exact response prompt.
  const answered = completionSamples(server);
  for (const r of records) {
    const ins = answered.find((a) => a.prompt === PRE && a.text === r.instruction);
    expect(ins?.seed).toBe(r.gen_input_configs.seed);
    const res = answered.find((a) => a.prompt === PRE + r.instruction + POST);
    expect(res?.text).toBe(r.response);
  }
  // The failed batch's samples were asked again; no sample seed was kept twice.
  expect(new Set(records.map((r) => r.gen_input_configs.seed)).size).toBe(40);
  expect(new Set(records.map((r) => r.instruction)).size).toBe(40);
});

test('a server that stays down mid-run fails the run keeping every finished pair; resume repeats no seed', async ({
  page,
}) => {
  server = await startFakeOpenAIServer({ model: MODEL, preQuery: PRE, delayMs: 100, failAfter: 6 });
  await openWithDataset(page);
  await connectServer(page, server.baseUrl, { concurrency: 2, batchSize: 4 });
  await expectConnected(page, 'Qwen2.5-1.5B');
  await setPairs(page, 40);
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(runStatus(page)).toHaveText(/stopped on an error/);

  const before = await readStore(page);
  expect(before.records.length).toBeGreaterThan(0);
  expect(before.records.length).toBeLessThan(40);
  expect(before.runs[0]?.made).toBe(before.records.length);
  // Every response the server gave before it went down belongs to a stored pair: none lost.
  const responses = completionSamples(server).filter((a) => a.prompt !== PRE);
  expect(responses).toHaveLength(before.records.length);
  for (const r of before.records) expect(r.response.length).toBeGreaterThan(0);

  const usedBefore = completionBodies(server)
    .filter((b) => b.prompt === PRE && b.seed !== undefined)
    .map((b) => (b.seed ?? 0) + (b.n ?? 1) - 1);
  server.setMode('ok');
  await connectServer(page, server.baseUrl, { concurrency: 2, batchSize: 4 });
  await expectConnected(page, 'Qwen2.5-1.5B');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(runStatus(page)).toHaveText(/Run finished/);
  const after = await readStore(page);
  expect(after.records).toHaveLength(40);
  const seeds = after.records.map((r) => r.gen_input_configs.seed);
  expect(new Set(seeds).size).toBe(40);
  // Resumed samples use seeds after every seed the server saw before the resume.
  const seenBefore = Math.max(...usedBefore);
  const fresh = after.records.filter((r) => !before.records.some((b) => b.uuid === r.uuid));
  for (const r of fresh) expect(r.gen_input_configs.seed).toBeGreaterThan(seenBefore);
});

test('a server that refuses batches (like Ollama) gets one prompt per request, and the settings say so', async ({
  page,
}) => {
  server = await startFakeOpenAIServer({
    model: MODEL,
    preQuery: PRE,
    delayMs: 50,
    batching: 'none',
  });
  await openWithDataset(page);
  await connectServer(page, server.baseUrl, { concurrency: 8, batchSize: 16 });
  await expect(page.getByTestId('connections-note')).toContainText(
    'at most 6 connections to one HTTP/1.1 server',
  );
  await expectConnected(page, 'Qwen2.5-1.5B');
  await expect(page.getByTestId('batching-note')).toHaveText(
    /one prompt per request \(as Ollama does\): up to 8 samples/,
  );
  await setPairs(page, 12);
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(runStatus(page)).toHaveText(/Run finished/);
  const { records } = await readStore(page);
  expect(records).toHaveLength(12);
  const bodies = completionBodies(server);
  expect(bodies.every((b) => typeof b.prompt === 'string' && b.n === undefined)).toBe(true);
  expect(bodies).toHaveLength(24);
  // The browser held the 2 connections above its limit of 6.
  expect(server.maxInFlight()).toBeLessThanOrEqual(6);
});
