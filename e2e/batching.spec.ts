/**
 * Batched requests, tried as a user would against the fake server on 127.0.0.1: what the
 * settings say, every prompt the server received, the pairs stored, a failed batch losing
 * nothing, a stop keeping every finished pair, and a server that refuses batches.
 */
import {
  completionSamples,
  connect,
  expectConnected,
  generate,
  openWithDataset,
  postedBodies,
  pressGenerate,
  readStore,
  recordCount,
  resume,
  runStatus,
  setPairs,
  tryConnecting,
} from './support/app';
import type { FakeOpenAIServer } from './support/fake-openai-server';
import { QWEN_MODEL, QWEN_POST, QWEN_PRE } from './support/qwen';
import { expect as baseExpect, test } from './support/test';

// Runs of 40 pairs with a server latency: give a loaded 2-core machine room.
test.describe.configure({ timeout: 240_000 });
const expect = baseExpect.configure({ timeout: 60_000 });
const RUN_END = { timeout: 60_000 };

const completionBodies = (s: FakeOpenAIServer) =>
  postedBodies<{ prompt: string | string[]; n?: number; seed?: number }>(
    s,
    '/v1/completions',
  ).filter((b) => b.prompt !== 'Hello' && !(Array.isArray(b.prompt) && b.prompt[0] === 'Hello'));

test('batches samples into n and prompt arrays; a failed batch is retried and loses nothing', async ({
  page,
  startServer,
}) => {
  // Request 5 (after the 2 probe requests: a batch of the run) fails once with a 500.
  const server = await startServer({
    model: QWEN_MODEL,
    preQuery: QWEN_PRE,
    delayMs: 100,
    failRequests: [5],
  });
  await openWithDataset(page);
  await connect(page, server, { concurrency: 2, batchSize: 8 });
  await expect(page.getByTestId('batching-note')).toHaveText(
    /several samples of one prompt \(n\).*up to 2 × 8 = 16 samples in flight/,
  );
  await setPairs(page, 40);
  await generate(page, RUN_END);
  await expect(recordCount(page)).toHaveText('40');
  await expect(page.getByTestId('requests-in-flight')).toBeVisible();

  const { records, runs } = await readStore(page);
  expect(records).toHaveLength(40);
  expect(runs[0]?.made).toBe(40);
  // The requests: instruction steps as n samples of the bare pre-query, response steps as
  // prompt arrays; never more than the 2 connections at once on the server's side.
  const bodies = completionBodies(server);
  expect(bodies.some((b) => b.prompt === QWEN_PRE && (b.n ?? 1) > 1)).toBe(true);
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
    const ins = answered.find((a) => a.prompt === QWEN_PRE && a.text === r.instruction);
    expect(ins?.seed).toBe(r.gen_input_configs.seed);
    const res = answered.find((a) => a.prompt === QWEN_PRE + r.instruction + QWEN_POST);
    expect(res?.text).toBe(r.response);
  }
  // The failed batch's samples were asked again; no sample seed was kept twice.
  expect(new Set(records.map((r) => r.gen_input_configs.seed)).size).toBe(40);
  expect(new Set(records.map((r) => r.instruction)).size).toBe(40);
});

test('a server that stays down mid-run fails the run keeping every finished pair; resume repeats no seed', async ({
  page,
  startServer,
}) => {
  const server = await startServer({
    model: QWEN_MODEL,
    preQuery: QWEN_PRE,
    delayMs: 100,
    failAfter: 6,
  });
  await openWithDataset(page);
  await connect(page, server, { concurrency: 2, batchSize: 4 });
  await setPairs(page, 40);
  await pressGenerate(page);
  await expect(runStatus(page)).toHaveText(/stopped on an error/);

  const before = await readStore(page);
  expect(before.records.length).toBeGreaterThan(0);
  expect(before.records.length).toBeLessThan(40);
  expect(before.runs[0]?.made).toBe(before.records.length);
  // Every response the server gave before it went down belongs to a stored pair: none lost.
  const responses = completionSamples(server).filter((a) => a.prompt !== QWEN_PRE);
  expect(responses).toHaveLength(before.records.length);
  for (const r of before.records) expect(r.response.length).toBeGreaterThan(0);

  const usedBefore = completionBodies(server)
    .filter((b) => b.prompt === QWEN_PRE && b.seed !== undefined)
    .map((b) => (b.seed ?? 0) + (b.n ?? 1) - 1);
  server.setMode('ok');
  await connect(page, server, { concurrency: 2, batchSize: 4 });
  await resume(page, RUN_END);
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
  startServer,
}) => {
  const server = await startServer({
    model: QWEN_MODEL,
    preQuery: QWEN_PRE,
    delayMs: 50,
    batching: 'none',
  });
  await openWithDataset(page);
  await tryConnecting(page, server.baseUrl, { concurrency: 8, batchSize: 16 });
  await expect(page.getByTestId('connections-note')).toContainText(
    'at most 6 connections to one HTTP/1.1 server',
  );
  await expectConnected(page, QWEN_MODEL);
  await expect(page.getByTestId('batching-note')).toHaveText(
    /one prompt per request \(as Ollama does\): up to 8 samples/,
  );
  await setPairs(page, 12);
  await generate(page, RUN_END);
  const { records } = await readStore(page);
  expect(records).toHaveLength(12);
  const bodies = completionBodies(server);
  expect(bodies.every((b) => typeof b.prompt === 'string' && b.n === undefined)).toBe(true);
  expect(bodies).toHaveLength(24);
  // The browser held the 2 connections above its limit of 6.
  expect(server.maxInFlight()).toBeLessThanOrEqual(6);
});
