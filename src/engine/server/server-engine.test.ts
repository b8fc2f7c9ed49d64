/**
 * The real ServerEngine against the real fake vLLM server on 127.0.0.1: no fetch mocks,
 * so request bodies, status codes, SSE framing and aborts all go over real sockets.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from '../../../e2e/support/fake-openai-server';
import type { CompletionRequest, ServerEngineConfig } from '../../shared/engine';
import { EngineError } from '../../shared/engine';
import { forgetProbes } from './probe';
import { ServerEngine } from './server-engine';

const MODEL = 'fake/magpie-1';
const PRE_QUERY = '<|start_header_id|>user<|end_header_id|>\n\n';
const POST_QUERY = '<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n';

let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ model: MODEL, preQuery: PRE_QUERY });
});
afterAll(() => server.close());
beforeEach(() => {
  server.setMode('ok');
  server.setDelay(0);
  server.requests.length = 0;
});

function engine(config: Partial<ServerEngineConfig> = {}, requestTimeoutMs?: number) {
  return new ServerEngine(
    { kind: 'server', baseUrl: server.url, model: MODEL, concurrency: 8, ...config },
    { requestTimeoutMs },
  );
}

function request(overrides: Partial<CompletionRequest> = {}): CompletionRequest {
  return { prompt: PRE_QUERY, maxTokens: 64, temperature: 1, topP: 1, stop: ['\n'], ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    return err as EngineError;
  }
  throw new Error('expected the call to fail');
}

function completionBodies() {
  return server.requests.filter((r) => r.path === '/v1/completions').map((r) => r.body);
}

describe('request body', () => {
  it('sends exactly the raw completion fields, no chat wrapper', async () => {
    await engine().complete(
      request({
        prompt: 'PRE',
        maxTokens: 32,
        temperature: 0.7,
        topP: 0.9,
        seed: 42,
        stop: ['\n', '<|eot_id|>'],
      }),
    );
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/completions']);
    expect(completionBodies()).toEqual([
      {
        model: MODEL,
        prompt: 'PRE',
        max_tokens: 32,
        temperature: 0.7,
        top_p: 0.9,
        stop: ['\n', '<|eot_id|>'],
        seed: 42,
        stream: false,
      },
    ]);
  });

  it('leaves out seed when unset and repetition_penalty when it is 1', async () => {
    await engine().complete(request({ repetitionPenalty: 1 }));
    const [body] = completionBodies() as Record<string, unknown>[];
    expect(Object.keys(body ?? {})).toEqual([
      'model',
      'prompt',
      'max_tokens',
      'temperature',
      'top_p',
      'stop',
      'stream',
    ]);
  });

  it('sends repetition_penalty when it is not 1', async () => {
    await engine().complete(request({ repetitionPenalty: 1.1, seed: 0 }));
    expect(completionBodies()[0]).toMatchObject({
      seed: 0,
      repetition_penalty: 1.1,
      stream: false,
    });
  });

  it('asks for streamed usage when streaming', async () => {
    await engine().complete(request(), { onDelta: () => undefined });
    expect(completionBodies()[0]).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends the API key as a bearer token', async () => {
    await engine({ apiKey: 'sk-test' }).complete(request());
    expect(server.requests[0]?.authorization).toBe('Bearer sk-test');
  });
});

describe('non-streaming completions', () => {
  it('returns text, finish reason and usage', async () => {
    const result = await engine().complete(request({ seed: 4 }));
    expect(result.text).toBe('How do I write a haiku about 2 cats?');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.completionTokens).toBe(9);
    expect(result.usage.promptTokens).toBe(1);
    expect(result.usage.latencyMs).toBeGreaterThan(0);
    expect(result.usage.timeToFirstTokenMs).toBeUndefined();
  });

  it('answers a response prompt', async () => {
    const prompt = `${PRE_QUERY}How do I train for a 2 km run?${POST_QUERY}`;
    const result = await engine().complete(request({ prompt, stop: ['<|eot_id|>'], seed: 1 }));
    expect(result.text).toMatch(/^Here is how to train for a 2 km run: .*\(answer 1\)$/);
  });

  it('reports finish reason length when max tokens cut the text', async () => {
    const result = await engine().complete(request({ maxTokens: 3 }));
    expect(result).toMatchObject({ text: 'How do I', finishReason: 'length' });
    expect(result.usage.completionTokens).toBe(3);
  });

  it('gives different instructions without a seed', async () => {
    const e = engine();
    const texts = await Promise.all([1, 2, 3, 4].map(() => e.complete(request())));
    expect(new Set(texts.map((t) => t.text)).size).toBe(4);
  });

  it('treats empty text as a valid result', async () => {
    server.setMode('empty');
    const result = await engine().complete(request());
    expect(result).toMatchObject({ text: '', finishReason: 'stop' });
    expect(result.usage.completionTokens).toBe(0);
  });
});

describe('streaming completions', () => {
  it('calls onDelta with each piece and returns the whole text with usage', async () => {
    const deltas: string[] = [];
    const result = await engine().complete(request({ seed: 0 }), {
      onDelta: (d) => deltas.push(d),
    });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(result.text);
    expect(result.text).toBe('How do I sort a list of 2 numbers in Python?');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ promptTokens: 1, completionTokens: 11 });
    expect(result.usage.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(result.usage.latencyMs).toBeGreaterThanOrEqual(result.usage.timeToFirstTokenMs ?? 0);
  });

  it('reports length when streaming too', async () => {
    const result = await engine().complete(request({ maxTokens: 4, seed: 0 }), {
      onDelta: () => undefined,
    });
    expect(result).toMatchObject({ text: 'How do I sort', finishReason: 'length' });
  });

  it('counts chunks when the server sends no usage', async () => {
    const bare = await startFakeOpenAIServer({ model: MODEL, streamUsage: false });
    try {
      const e = new ServerEngine({
        kind: 'server',
        baseUrl: bare.url,
        model: MODEL,
        concurrency: 1,
      });
      const deltas: string[] = [];
      const result = await e.complete(request({ seed: 0 }), { onDelta: (d) => deltas.push(d) });
      expect(result.usage.completionTokens).toBe(deltas.length);
      expect(result.usage.promptTokens).toBeUndefined();
    } finally {
      await bare.close();
    }
  });

  it('streams an empty completion without error', async () => {
    server.setMode('empty');
    const deltas: string[] = [];
    const result = await engine().complete(request(), { onDelta: (d) => deltas.push(d) });
    expect(result).toMatchObject({ text: '', finishReason: 'stop' });
    expect(deltas).toEqual([]);
  });

  it('passes an error thrown by onDelta through unchanged', async () => {
    const boom = new Error('callback failed');
    await expect(
      engine().complete(request(), {
        onDelta: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
  });
});

describe('load', () => {
  it('describes the served model', async () => {
    forgetProbes();
    const description = await engine({ concurrency: 6, batchSize: 16 }).load();
    expect(description).toEqual({
      id: MODEL,
      engine: 'server',
      concurrency: 96,
      connections: 6,
      batching: { n: true, promptArrays: true, batchSize: 16 },
      streams: true,
      contextWindow: 4096,
    });
    // The probe: two one-token requests, once per server.
    expect(server.requests.map((r) => r.path).sort()).toEqual([
      '/props',
      '/v1/completions',
      '/v1/completions',
      '/v1/models',
    ]);
    server.requests.length = 0;
    await engine({ concurrency: 2, batchSize: 16 }).load();
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/models', '/props']);
  });

  it('reads the chat template and BOS token from llama.cpp-style /props', async () => {
    const llama = await startFakeOpenAIServer({
      model: MODEL,
      props: {
        chat_template: '{{ bos_token }}{% for m in messages %}…',
        bos_token: '<s>',
        n_ctx: 8192,
      },
    });
    try {
      const e = new ServerEngine({
        kind: 'server',
        baseUrl: `${llama.url}/v1/`,
        model: MODEL,
        concurrency: 2,
      });
      expect(await e.load()).toMatchObject({
        chatTemplate: '{{ bos_token }}{% for m in messages %}…',
        bosToken: '<s>',
        contextWindow: 4096,
      });
    } finally {
      await llama.close();
    }
  });

  it('fails with model-not-found listing what is served', async () => {
    const error = await failure(engine({ model: 'meta-llama/Llama-3.1-8B-Instruct' }).load());
    expect(error.code).toBe('model-not-found');
    expect(error.message).toContain('meta-llama/Llama-3.1-8B-Instruct');
    expect(error.message).toContain(`It serves: ${MODEL}.`);
    expect(error.retryable).toBe(false);
  });

  it('maps a completion for an unknown model to model-not-found', async () => {
    const error = await failure(engine({ model: 'other' }).complete(request()));
    expect(error.code).toBe('model-not-found');
    expect(error.message).toContain('`other` does not exist');
  });
});

describe('errors', () => {
  it('401 with a wrong key -> unauthorized', async () => {
    const locked = await startFakeOpenAIServer({ model: MODEL, apiKey: 'right' });
    try {
      const config = { kind: 'server', baseUrl: locked.url, model: MODEL, concurrency: 1 } as const;
      const wrong = await failure(new ServerEngine({ ...config, apiKey: 'wrong' }).load());
      expect(wrong).toMatchObject({ code: 'unauthorized', retryable: false });
      expect(wrong.message).toMatch(/rejected the API key \(HTTP 401: Unauthorized\)/);
      expect(wrong.hint).toMatch(/--api-key/);
      const none = await failure(new ServerEngine(config).complete(request()));
      expect(none.message).toMatch(/requires an API key/);
      await expect(new ServerEngine({ ...config, apiKey: 'right' }).load()).resolves.toMatchObject({
        id: MODEL,
      });
    } finally {
      await locked.close();
    }
  });

  it('mode unauthorized -> unauthorized', async () => {
    server.setMode('unauthorized');
    expect((await failure(engine().complete(request()))).code).toBe('unauthorized');
  });

  it('404 on /models -> not-openai', async () => {
    const error = await failure(engine({ baseUrl: `${server.url}/nothing-here` }).load());
    expect(error.code).toBe('not-openai');
    expect(error.message).toContain(`${server.url}/nothing-here/v1/models`);
    expect(error.hint).toMatch(/ending in \/v1/);
  });

  it('an HTML page -> not-openai, for the model list and for completions', async () => {
    server.setMode('html');
    const load = await failure(engine().load());
    expect(load).toMatchObject({ code: 'not-openai', retryable: false });
    expect(load.message).toMatch(/web page/);
    expect((await failure(engine().complete(request()))).code).toBe('not-openai');
    expect((await failure(engine().complete(request(), { onDelta: () => undefined }))).code).toBe(
      'not-openai',
    );
  });

  it('500 -> server-error, retryable, with the server message', async () => {
    server.setMode('error500');
    for (const onDelta of [undefined, () => undefined]) {
      const error = await failure(engine().complete(request(), { onDelta }));
      expect(error).toMatchObject({ code: 'server-error', retryable: true });
      expect(error.message).toBe(
        'The server failed (HTTP 500): The fake engine crashed (mode error500).',
      );
    }
  });

  it('malformed JSON -> bad-response, retryable', async () => {
    server.setMode('malformed');
    const whole = await failure(engine().complete(request()));
    expect(whole).toMatchObject({ code: 'bad-response', retryable: true });
    const streamed = await failure(engine().complete(request(), { onDelta: () => undefined }));
    expect(streamed).toMatchObject({ code: 'bad-response', retryable: true });
  });

  it('switches to the fail mode after failAfter completions', async () => {
    const flaky = await startFakeOpenAIServer({ model: MODEL, failAfter: 2 });
    try {
      const e = new ServerEngine({
        kind: 'server',
        baseUrl: flaky.baseUrl,
        model: MODEL,
        concurrency: 1,
      });
      await e.complete(request());
      await e.complete(request());
      expect((await failure(e.complete(request()))).code).toBe('server-error');
    } finally {
      await flaky.close();
    }
  });

  it('server down -> unreachable', async () => {
    const gone = await startFakeOpenAIServer({ model: MODEL });
    await gone.close();
    const e = new ServerEngine({ kind: 'server', baseUrl: gone.url, model: MODEL, concurrency: 1 });
    const error = await failure(e.load());
    expect(error).toMatchObject({ code: 'unreachable', retryable: true });
    expect(error.message).toBe(`Could not connect to ${gone.url}.`);
    expect(error.hint).toMatch(/server running/);
    expect((await failure(e.complete(request()))).code).toBe('unreachable');
  });

  it('a slow answer past the timeout -> timeout, retryable', async () => {
    server.setDelay(2000);
    const started = Date.now();
    const error = await failure(engine({}, 100).complete(request()));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('aborting', () => {
  it('aborts a request in flight via the signal', async () => {
    server.setDelay(2000);
    const controller = new AbortController();
    const started = Date.now();
    const pending = engine().complete(request(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await failure(pending);
    expect(error).toMatchObject({ code: 'aborted', retryable: false });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('aborts mid-stream after some deltas', async () => {
    const slow = await startFakeOpenAIServer({ model: MODEL, chunkDelayMs: 100 });
    try {
      const e = new ServerEngine({
        kind: 'server',
        baseUrl: slow.url,
        model: MODEL,
        concurrency: 1,
      });
      const controller = new AbortController();
      const deltas: string[] = [];
      const error = await failure(
        e.complete(request(), {
          signal: controller.signal,
          onDelta: (d) => {
            deltas.push(d);
            controller.abort();
          },
        }),
      );
      expect(error.code).toBe('aborted');
      expect(deltas).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('fails at once with an already aborted signal, sending nothing', async () => {
    const error = await failure(engine().complete(request(), { signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    expect(server.requests).toEqual([]);
  });

  it('dispose() aborts everything in flight and refuses new work', async () => {
    server.setDelay(2000);
    const e = engine();
    const pending = [e.complete(request()), e.complete(request(), { onDelta: () => undefined })];
    await new Promise((r) => setTimeout(r, 50));
    await e.dispose();
    for (const p of pending) expect((await failure(p)).code).toBe('aborted');
    expect((await failure(e.complete(request()))).code).toBe('aborted');
  });
});

afterEach(() => server.setDelay(0));
