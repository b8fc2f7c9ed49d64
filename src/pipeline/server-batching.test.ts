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
import type { RunSettings } from '../shared/run';
import {
  instructionPrompt,
  responsePrompt,
  type ChatTurn,
  type PromptTemplate,
} from '../shared/template';
import { templateFor } from '../shared/templates/families';
import { renderInstructionPrompt, renderResponsePrompt } from '../shared/templates/render';
import { getRun } from '../store/runs';
import { CHATML } from '../test-support/fixtures';
import { pipelineRuns, runToEnd } from '../test-support/pipeline-harness';
import { MULTI_TURN_SYSTEM_PROMPT } from './generate-conversation';
import { forgetProbes } from '../engine/server/probe';
import { ServerEngine } from '../engine/server/server-engine';

const MODEL = 'fake/magpie-1';
const PRE = instructionPrompt(CHATML);
let server: FakeOpenAIServer | undefined;
const newRun = pipelineRuns('pipe-batch');
afterEach(async () => {
  await server?.close();
  server = undefined;
  forgetProbes();
});

async function run(
  opts: FakeServerOptions,
  target: number,
  connections: number,
  batch: number,
  shape: { template?: PromptTemplate; settings?: Partial<RunSettings> } = {},
) {
  const template = shape.template ?? CHATML;
  server = await startFakeOpenAIServer({
    model: MODEL,
    preQuery: instructionPrompt(template),
    ...opts,
  });
  const config = {
    kind: 'server' as const,
    baseUrl: server.baseUrl,
    model: MODEL,
    concurrency: connections,
    batchSize: batch,
  };
  const { db, run: record } = await newRun(
    { target, seed: 1000, ...shape.settings },
    { template, engine: config, model: MODEL },
  );
  const { result, events } = await runToEnd(db, record, new ServerEngine(config), {
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

const QWEN = templateFor('qwen2.5', { writeBos: false, date: new Date(2025, 0, 5) });

describe('multi-turn and preference runs over batched requests', () => {
  it('makes 3-turn conversations whose later turns share requests, each prompt rendered by the authors’ recipe', async () => {
    const { result, records, server } = await run({ delayMs: 20 }, 12, 2, 8, {
      template: QWEN,
      settings: { turns: 3 },
    });
    expect(result.status).toBe('done');
    expect(records).toHaveLength(12);
    const answered = server.answered.filter((a) => !isProbe(a));
    for (const r of records) {
      expect(r.conversations).toHaveLength(6);
      const [q1, a1, q2, a2, q3, a3] = r.conversations.map((t) => t.value);
      const history: ChatTurn[] = [];
      for (const [q, a] of [
        [q1, a1],
        [q2, a2],
        [q3, a3],
      ] as [string, string][]) {
        // Turn 1 is a plain pair; turn k >= 2 asks under the multi-turn system prompt.
        const asked = history.length
          ? renderInstructionPrompt(QWEN, { system: MULTI_TURN_SYSTEM_PROMPT, turns: history })
          : instructionPrompt(QWEN);
        expect(answered.some((x) => x.prompt === asked && x.text === q)).toBe(true);
        const reply = renderResponsePrompt(QWEN, { turns: history, instruction: q });
        expect(answered.filter((x) => x.prompt === reply).map((x) => x.text)).toEqual([a]);
        history.push({ role: 'user', content: q }, { role: 'assistant', content: a });
      }
    }
    // 12 x 6 samples; later turns and replies of different conversations share requests.
    expect(answered).toHaveLength(72);
    expect(server.completions()).toBeLessThan(72 / 2);
    expect(server.maxInFlight()).toBeLessThanOrEqual(2);
  });

  it('asks a preference sample’s k responses in one request with n, each keeping its seed', async () => {
    const { result, records, server } = await run(
      { delayMs: 20, judge: { scoreBySeed: true } },
      6,
      2,
      8,
      {
        settings: { mode: 'preference', preference: { responses: 4, temperature: 0.8, topP: 1 } },
      },
    );
    expect(result.status).toBe('done');
    expect(records).toHaveLength(6);
    const bodies = server.requests
      .filter((r) => r.path === '/v1/completions')
      .map((r) => r.body as { prompt: string | string[]; n?: number; seed?: number });
    for (const r of records) {
      const p = r.preference!;
      expect(p.responses).toHaveLength(4);
      const reply = responsePrompt(CHATML, r.instruction);
      // One request carried the four answers: n = 4 from the first response's seed.
      const carrier = bodies.filter(
        (b) => b.prompt === reply || (Array.isArray(b.prompt) && b.prompt.includes(reply)),
      );
      expect(carrier).toHaveLength(1);
      expect(carrier[0]).toMatchObject({ prompt: reply, n: 4, seed: r.gen_input_configs.seed });
      const served = server.answered.filter((a) => a.prompt === reply);
      expect(p.responses.map((x) => [x.seed, x.text])).toEqual(served.map((a) => [a.seed, a.text]));
      expect(p.responses.map((x) => x.score)).toEqual(served.map((a) => a.seed! % 10));
    }
    // The judge: one chat request per response, never more than the two connections at once.
    expect(server.chats()).toBe(6 * 4);
    expect(server.maxChatsInFlight()).toBeLessThanOrEqual(2);
  });
});
