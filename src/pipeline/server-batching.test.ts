/**
 * The run loop with the real server engine against the fake server on 127.0.0.1: lanes
 * share batched requests, every pair is whole, seeds are the per-sample seeds, and a batch
 * that fails once is retried without losing or doubling a pair.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  isProbe,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
  type FakeServerOptions,
} from '../../e2e/support/fake-openai-server';
import type { RunEvent } from '../shared/run';
import { instructionPrompt, responsePrompt } from '../shared/template';
import { createDataset } from '../store/datasets';
import { MagpieDB } from '../store/db';
import { createRun, getRun } from '../store/runs';
import { CHATML, settings } from '../test-support/fixtures';
import { runPipeline } from './run-pipeline';
import { forgetProbes } from '../engine/server/probe';
import { ServerEngine } from '../engine/server/server-engine';

const MODEL = 'fake/magpie-1';
const PRE = instructionPrompt(CHATML);
let server: FakeOpenAIServer | undefined;
const dbs: MagpieDB[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  forgetProbes();
  for (const db of dbs.splice(0)) await db.delete();
});

async function run(opts: FakeServerOptions, target: number, connections: number, batch: number) {
  server = await startFakeOpenAIServer({ model: MODEL, preQuery: PRE, ...opts });
  const db = new MagpieDB(`pipe-batch-${crypto.randomUUID()}`);
  dbs.push(db);
  const ds = await createDataset(db, 'd');
  const config = {
    kind: 'server' as const,
    baseUrl: server.baseUrl,
    model: MODEL,
    concurrency: connections,
    batchSize: batch,
  };
  const record = await createRun(db, {
    datasetId: ds.id,
    engine: config,
    model: MODEL,
    template: CHATML,
    settings: settings({ target, seed: 1000 }),
  });
  const engine = new ServerEngine(config);
  const model = await engine.load();
  const events: RunEvent[] = [];
  const result = await runPipeline({
    db,
    engine,
    model,
    run: record,
    signal: new AbortController().signal,
    onEvent: (e) => events.push(e),
    retryBaseMs: 10,
  });
  const records = await db.records.toArray();
  return { result, records, events, server, run: await getRun(db, record.id) };
}

describe('the run loop over batched requests', () => {
  it('makes every pair from batched requests with its own seed', async () => {
    const { result, records, events, server } = await run({ delayMs: 30 }, 40, 2, 8);
    expect(result.status).toBe('done');
    expect(records).toHaveLength(40);
    const answered = server.answered.filter((a) => !isProbe(a));
    for (const r of records) {
      const ins = answered.find((a) => a.prompt === PRE && a.text === r.instruction);
      expect(ins?.seed).toBe(r.gen_input_configs.seed);
      const res = answered.find((a) => a.prompt === responsePrompt(CHATML, r.instruction));
      expect(res?.text).toBe(r.response);
    }
    expect(new Set(records.map((r) => r.gen_input_configs.seed)).size).toBe(40);
    expect(server.maxInFlight()).toBeLessThanOrEqual(2);
    const last = events.filter((e) => e.type === 'progress').pop();
    expect(last).toMatchObject({ progress: { made: 40, requestsInFlight: 0 } });
  });

  it('retries the samples of a batch that failed, losing and doubling nothing', async () => {
    const {
      result,
      records,
      run: stored,
    } = await run({ delayMs: 30, failRequests: [3] }, 24, 2, 4);
    expect(result.status).toBe('done');
    expect(records).toHaveLength(24);
    expect(stored?.made).toBe(24);
    expect(new Set(records.map((r) => r.instruction)).size).toBe(24);
  });
});
