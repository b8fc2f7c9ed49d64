/**
 * Batching against the real fake server on 127.0.0.1: the probe, the fan-out of one
 * request's choices to the samples that asked, connections counted server-side, the
 * fallback to one prompt per request, and failures and stops inside a batch.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  fakeInstruction,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
  type FakeServerOptions,
} from '../../../e2e/support/fake-openai-server';
import type { CompletionRequest } from '../../shared/engine';
import { forgetProbes } from './probe';
import { ServerEngine } from './server-engine';

const MODEL = 'fake/magpie-1';
const PRE = '<|start_header_id|>user<|end_header_id|>\n\n';
let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  forgetProbes();
});

async function connect(opts: FakeServerOptions, connections: number, batchSize: number) {
  server = await startFakeOpenAIServer({ model: MODEL, preQuery: PRE, ...opts });
  const engine = new ServerEngine({
    kind: 'server',
    baseUrl: server.baseUrl,
    model: MODEL,
    concurrency: connections,
    batchSize,
  });
  const description = await engine.load();
  server.requests.length = 0;
  return { engine, description, server };
}

const instruction = (seed: number): CompletionRequest => ({
  prompt: PRE,
  maxTokens: 64,
  temperature: 1,
  topP: 1,
  stop: ['\n'],
  seed,
});
const response = (text: string, seed: number): CompletionRequest => ({
  prompt: `${PRE}${text}<|eot_id|>`,
  maxTokens: 256,
  temperature: 0.7,
  topP: 1,
  stop: ['<|eot_id|>'],
  seed,
});
const bodies = (s: FakeOpenAIServer) =>
  s.requests
    .filter((r) => r.path === '/v1/completions')
    .map((r) => r.body as Record<string, unknown>);
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('batched requests (vLLM: n and prompt arrays)', () => {
  it('asks n samples per request with per-sample seeds and fans the choices out', async () => {
    const { engine, description, server } = await connect({ delayMs: 50 }, 4, 16);
    expect(description).toMatchObject({ concurrency: 64, connections: 4 });
    const results = await Promise.all(range(100, 64).map((s) => engine.complete(instruction(s))));
    // Every sample got the instruction of its own seed: as if asked alone.
    expect(results.map((r) => r.text)).toEqual(range(100, 64).map(fakeInstruction));
    expect(results.every((r) => r.seed === undefined && r.usage.batch === 16)).toBe(true);
    expect(bodies(server).map((b) => [b.n, b.seed, b.prompt])).toEqual(
      [100, 116, 132, 148].map((seed) => [16, seed, PRE]),
    );
    expect(server.maxInFlight()).toBe(4);
    expect(engine.activity()).toEqual({ requestsInFlight: 0, samplesWaiting: 0, samplesDone: 64 });
  });

  it('sends the response step as prompt arrays, each sample told the shared seed', async () => {
    const { engine, server } = await connect({}, 2, 8);
    const texts = range(0, 8).map(fakeInstruction);
    const results = await Promise.all(texts.map((t, i) => engine.complete(response(t, 40 + i))));
    const [body] = bodies(server);
    expect(bodies(server)).toHaveLength(1);
    expect(body).toMatchObject({ prompt: texts.map((t) => `${PRE}${t}<|eot_id|>`), seed: 40 });
    expect(body?.n).toBeUndefined();
    results.forEach((r, i) => {
      expect(r.text).toContain(texts[i]!.replace(/^How do I /, '').replace(/\?$/, ''));
      expect(r.seed).toBe(i === 0 ? undefined : 40);
    });
  });

  it('fails every sample of a failed request (retryable) and no other', async () => {
    const { engine } = await connect({ failRequests: [2], delayMs: 20 }, 2, 4); // 0 and 1: the probe;
    const settled = await Promise.allSettled(
      range(0, 8).map((s) => engine.complete(instruction(s))),
    );
    const failed = settled.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(4);
    for (const f of failed)
      expect(f.reason).toMatchObject({ code: 'server-error', retryable: true });
    const ok = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.text] : []));
    expect(ok).toEqual(range(4, 4).map(fakeInstruction));
  });

  it('a stopped sample leaves its request to the others; the request is cancelled when none is wanted', async () => {
    const { engine, server } = await connect({ delayMs: 150 }, 1, 4);
    const stop = new AbortController();
    const kept = engine.complete(instruction(0));
    const dropped = engine.complete(instruction(1), { signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    await expect(dropped).rejects.toMatchObject({ code: 'aborted' });
    expect((await kept).text).toBe(fakeInstruction(0));
    expect(bodies(server)).toHaveLength(1);

    const all = new AbortController();
    const both = [2, 3].map((s) => engine.complete(instruction(s), { signal: all.signal }));
    setTimeout(() => all.abort(), 50);
    for (const p of both) await expect(p).rejects.toMatchObject({ code: 'aborted' });
    await expect.poll(() => server.cancelled()).toBe(1); // closed before the answer was due
    expect(bodies(server)).toHaveLength(2);
  });
});

describe('servers that refuse batches', () => {
  it('Ollama-like: the probe says no, one prompt per request, at most `connections` at once', async () => {
    const { engine, description, server } = await connect({ batching: 'none', delayMs: 30 }, 3, 16);
    expect(description).toMatchObject({
      concurrency: 3,
      connections: 3,
      batching: { n: false, promptArrays: false, batchSize: 1 },
    });
    const results = await Promise.all(range(0, 9).map((s) => engine.complete(instruction(s))));
    expect(results.map((r) => r.text)).toEqual(range(0, 9).map(fakeInstruction));
    expect(bodies(server).map((b) => [b.prompt, b.seed, b.n])).toEqual(
      range(0, 9).map((s) => [PRE, s, undefined]),
    );
    expect(server.maxInFlight()).toBe(3);
  });

  it('llama.cpp-like: arrays for different prompts, identical seeded prompts one by one', async () => {
    const { engine, description, server } = await connect({ batching: 'llama.cpp' }, 2, 8);
    expect(description.batching).toEqual({ n: false, promptArrays: true, batchSize: 8 });
    await Promise.all(range(0, 3).map((s) => engine.complete(instruction(s))));
    expect(bodies(server).map((b) => [b.prompt, b.seed])).toEqual(range(0, 3).map((s) => [PRE, s]));
    server.requests.length = 0;
    await Promise.all(['a?', 'b?', 'c?'].map((t, i) => engine.complete(response(t, i))));
    expect(bodies(server).map((b) => b.prompt)).toEqual([
      ['a?', 'b?', 'c?'].map((t) => `${PRE}${t}<|eot_id|>`),
    ]);
  });

  it('asks each server once and remembers the answer', async () => {
    const { server } = await connect({ batching: 'none' }, 1, 8);
    const again = new ServerEngine({
      kind: 'server',
      baseUrl: server.baseUrl,
      model: MODEL,
      concurrency: 1,
    });
    expect((await again.load()).batching).toMatchObject({ n: false, promptArrays: false });
    expect(bodies(server)).toHaveLength(0);
  });
});
