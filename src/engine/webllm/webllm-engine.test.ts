/**
 * WebLLMEngine against a fake '@mlc-ai/web-llm' (the one seam): the fake MLCEngine
 * records every request and replays responses in the shapes WebLLM 0.2.86 builds them
 * (lib/index.js `completion()`, `makeStreamDeltaChunk/FinalChunk/UsageChunk`).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Completion, InitProgressReport, LogitProcessor } from '@mlc-ai/web-llm';
import { EngineError, type CompletionRequest } from '../../shared/engine';
import type { LoadProgress } from '../../shared/load-progress';
import { deleteCachedModel, isModelCached } from '../../shared/model-catalog';
import { WebLLMEngine } from './webllm-engine';

type Reply = { text: string; finish: 'stop' | 'length'; deltas?: string[]; final?: string };

const h = vi.hoisted(() => {
  const state = {
    engines: [] as FakeMLCEngine[],
    reload: async (_e: FakeMLCEngine, _id: string): Promise<void> => undefined,
    reply: { text: '', finish: 'stop' } as Reply,
    gate: undefined as Promise<void> | undefined,
    completionError: undefined as unknown,
  };
  const usage = {
    completion_tokens: 23,
    prompt_tokens: 17,
    total_tokens: 40,
    extra: {
      e2e_latency_s: 0.912,
      prefill_tokens_per_s: 412.5,
      decode_tokens_per_s: 31.25,
      time_to_first_token_s: 0.0412,
      time_per_output_token_s: 0.032,
      latencyBreakdown: undefined,
    },
  };
  const head = (model: string) => ({
    id: 'c0ffee00-0000-4000-8000-000000000000',
    model,
    object: 'text_completion' as const,
    created: 1732190000,
  });
  class FakeMLCEngine {
    requests: Record<string, unknown>[] = [];
    calls: string[] = [];
    interrupted = false;
    active = 0;
    maxActive = 0;
    message = '';
    loaded = '';
    /** Logits after the registered processor, per request: what sampling would see. */
    processed: Float32Array[][] = [];
    /** WebLLM keeps the tokenizer on its private pipeline; this one encodes like Llama-3's. */
    loadedModelIdToPipeline = new Map<string, { tokenizer: { encode(t: string): Int32Array } }>();
    chat = {
      completions: {
        create: () => {
          throw new Error('chat.completions must not be called');
        },
      },
    };
    completions = { create: (req: Record<string, unknown>) => this.completion(req) };
    constructor(
      readonly config: {
        appConfig?: unknown;
        initProgressCallback?: (r: InitProgressReport) => void;
        logitProcessorRegistry?: Map<string, LogitProcessor>;
      },
    ) {
      state.engines.push(this);
    }
    async reload(id: string) {
      this.calls.push(`reload ${id}`);
      await state.reload(this, id);
      this.loaded = id;
      const ids: Record<string, number[]> = {
        '#': [2],
        '##': [567],
        '###': [14711],
        '####': [827],
      };
      this.loadedModelIdToPipeline.set(id, {
        tokenizer: { encode: (t: string) => Int32Array.from(ids[t] ?? (t ? [9, 9] : [])) },
      });
    }
    async unload() {
      this.calls.push('unload');
      this.loaded = '';
    }
    async interruptGenerate() {
      this.calls.push('interruptGenerate');
      this.interrupted = true;
    }
    async getMessage() {
      return this.message;
    }
    /** Three decoding steps through the processor, as WebLLM's sampler runs them. */
    decode() {
      const processor = this.config.logitProcessorRegistry?.get(this.loaded);
      processor?.resetState();
      const seen: Float32Array[] = [];
      for (let step = 0; step < 3 && processor; step++) {
        const logits = Float32Array.from({ length: 15000 }, (_, i) => (i % 7) + 1);
        seen.push(processor.processLogits(logits).slice());
        processor.processSampledToken(1);
      }
      this.processed.push(seen);
    }
    async completion(req: Record<string, unknown>) {
      this.requests.push(structuredClone(req));
      if (state.completionError !== undefined) throw state.completionError;
      this.decode();
      this.interrupted = false;
      const { reply } = state;
      if (req.stream) return this.stream(req, reply);
      this.active++;
      this.maxActive = Math.max(this.maxActive, this.active);
      await state.gate;
      this.active--;
      const finish = this.interrupted ? ('abort' as const) : reply.finish;
      const text = this.interrupted ? reply.text.slice(0, 3) : reply.text;
      return {
        ...head(this.loaded),
        choices: [{ finish_reason: finish, index: 0, logprobs: null, text }],
        usage,
      } satisfies Completion;
    }
    async *stream(req: Record<string, unknown>, reply: Reply): AsyncGenerator<Completion> {
      for (const text of reply.deltas ?? [reply.text]) {
        await state.gate;
        if (this.interrupted) break;
        this.message += text;
        yield {
          ...head(this.loaded),
          choices: [{ text, finish_reason: null, index: 0, logprobs: null }],
        };
      }
      if (reply.final !== undefined) this.message = reply.final;
      const finish = this.interrupted ? ('abort' as const) : reply.finish;
      yield { ...head(this.loaded), choices: [{ text: '', finish_reason: finish, index: 0 }] };
      const opts = req.stream_options as { include_usage?: boolean } | undefined;
      if (opts?.include_usage) yield { ...head(this.loaded), choices: [], usage };
    }
  }
  const record = (model_id: string, ctx: number) => ({
    model: `https://huggingface.co/mlc-ai/${model_id}`,
    model_id,
    model_lib: `https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_80/${model_id}-webgpu.wasm`,
    vram_required_MB: 879.04,
    low_resource_required: true,
    overrides: { context_window_size: ctx },
  });
  const prebuiltAppConfig = {
    model_list: [
      record('Llama-3.2-1B-Instruct-q4f16_1-MLC', 4096),
      record('gemma-2-2b-it-q4f16_1-MLC-1k', 1024),
    ],
    cacheBackend: 'cache',
  };
  const hasModelInCache = vi.fn(async () => true);
  const deleteModelAllInfoInCache = vi.fn(async () => undefined);
  return { state, FakeMLCEngine, prebuiltAppConfig, hasModelInCache, deleteModelAllInfoInCache };
});

vi.mock('@mlc-ai/web-llm', () => ({
  MLCEngine: h.FakeMLCEngine,
  prebuiltAppConfig: h.prebuiltAppConfig,
  hasModelInCache: h.hasModelInCache,
  deleteModelAllInfoInCache: h.deleteModelAllInfoInCache,
}));

const LLAMA = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';

async function loaded(model = LLAMA) {
  const engine = new WebLLMEngine({ model });
  await engine.load();
  const fake = h.state.engines.at(-1)!;
  return { engine, fake };
}

afterEach(() => {
  h.state.engines = [];
  h.state.reload = async () => undefined;
  h.state.reply = { text: '', finish: 'stop' };
  h.state.gate = undefined;
  h.state.completionError = undefined;
});

const llamaPrompt = '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n';
const qwenPrompt =
  '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n';
const gemmaPrompt =
  '<bos><start_of_turn>user\nWhat is a prime number?<end_of_turn>\n<start_of_turn>model\n';

describe('requests sent to WebLLM', () => {
  it('passes a Llama-3.2 instruction prompt through unchanged, BOS included', async () => {
    const { engine, fake } = await loaded();
    h.state.reply = { text: 'How do I bake bread?', finish: 'stop' };
    const stop = [
      '<|eot_id|>',
      '<|end_of_text|>',
      '<|start_header_id|>',
      '<|end_header_id|>',
      'assistant',
      '\n',
    ];
    await engine.complete({ prompt: llamaPrompt, maxTokens: 128, temperature: 1, topP: 1, stop });
    expect(fake.requests).toStrictEqual([
      { prompt: llamaPrompt, max_tokens: 128, temperature: 1, top_p: 1, stop, stream: false },
    ]);
  });

  it('sends seed for Qwen2.5 and leaves out a repetition penalty of 1', async () => {
    const { engine, fake } = await loaded();
    const stop = ['<|im_end|>', '<|im_start|>', '<|endoftext|>', '\n'];
    const req: CompletionRequest = {
      prompt: qwenPrompt,
      maxTokens: 96,
      temperature: 0.7,
      topP: 0.9,
      seed: 42,
      repetitionPenalty: 1,
      stop,
    };
    await engine.complete(req);
    expect(fake.requests[0]).toStrictEqual({
      prompt: qwenPrompt,
      max_tokens: 96,
      temperature: 0.7,
      top_p: 0.9,
      stop,
      seed: 42,
      stream: false,
    });
  });

  it('sends a Gemma response prompt greedy with a repetition penalty, streaming with usage', async () => {
    const { engine, fake } = await loaded('gemma-2-2b-it-q4f16_1-MLC-1k');
    h.state.reply = { text: 'A prime…', finish: 'stop', deltas: ['A', ' prime…'] };
    const stop = ['<end_of_turn>', '<eos>'];
    const req = {
      prompt: gemmaPrompt,
      maxTokens: 512,
      temperature: 0,
      topP: 1,
      repetitionPenalty: 1.1,
      stop,
    };
    await engine.complete(req, { onDelta: () => undefined });
    expect(fake.requests[0]).toStrictEqual({
      prompt: gemmaPrompt,
      max_tokens: 512,
      temperature: 0,
      top_p: 1,
      stop,
      repetition_penalty: 1.1,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('serves one request at a time', async () => {
    const { engine, fake } = await loaded();
    const base = { prompt: llamaPrompt, maxTokens: 8, temperature: 1, topP: 1, stop: [] };
    await Promise.all([engine.complete(base), engine.complete(base), engine.complete(base)]);
    expect(fake.requests).toHaveLength(3);
    expect(fake.maxActive).toBe(1);
  });
});

describe('results', () => {
  const req = { prompt: llamaPrompt, maxTokens: 64, temperature: 1, topP: 1, stop: ['\n'] };

  it('maps a non-streaming completion, usage.extra in ms', async () => {
    const { engine } = await loaded();
    h.state.reply = { text: 'Explain photosynthesis simply.', finish: 'stop' };
    expect(await engine.complete(req)).toEqual({
      text: 'Explain photosynthesis simply.',
      finishReason: 'stop',
      usage: {
        promptTokens: 17,
        completionTokens: 23,
        latencyMs: 912,
        timeToFirstTokenMs: 41.2,
        prefillTokensPerS: 412.5,
        decodeTokensPerS: 31.25,
      },
    });
  });

  it("reports finish_reason 'length' when max_tokens was hit", async () => {
    const { engine } = await loaded();
    h.state.reply = { text: 'Write a long essay about', finish: 'length' };
    expect((await engine.complete(req)).finishReason).toBe('length');
  });

  it('streams deltas, reads usage from the usage chunk and trims a half-sent stop string', async () => {
    const { engine } = await loaded();
    h.state.reply = {
      text: '',
      finish: 'stop',
      deltas: ['Name', ' three', ' rivers', '\n\nUs'],
      final: 'Name three rivers',
    };
    const deltas: string[] = [];
    const result = await engine.complete(req, { onDelta: (d) => deltas.push(d) });
    expect(deltas).toEqual(['Name', ' three', ' rivers', '\n\nUs']);
    expect(result.text).toBe('Name three rivers');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ promptTokens: 17, completionTokens: 23, latencyMs: 912 });
  });

  it('streams a length-limited reply', async () => {
    const { engine } = await loaded();
    h.state.reply = { text: '', finish: 'length', deltas: ['One', ' two'], final: 'One two' };
    const result = await engine.complete(req, { onDelta: () => undefined });
    expect(result).toMatchObject({ text: 'One two', finishReason: 'length' });
  });
});

describe('abort', () => {
  const req = { prompt: llamaPrompt, maxTokens: 64, temperature: 1, topP: 1, stop: [] };

  it('calls interruptGenerate and throws aborted (non-streaming)', async () => {
    const { engine, fake } = await loaded();
    h.state.reply = { text: 'Partial answer', finish: 'stop' };
    let open!: () => void;
    h.state.gate = new Promise((r) => (open = r));
    const ctrl = new AbortController();
    const done = engine.complete(req, { signal: ctrl.signal });
    await vi.waitFor(() => expect(fake.requests).toHaveLength(1));
    ctrl.abort();
    open();
    await expect(done).rejects.toMatchObject({ code: 'aborted' });
    expect(fake.calls).toContain('interruptGenerate');
  });

  it('calls interruptGenerate and throws aborted (streaming)', async () => {
    const { engine, fake } = await loaded();
    h.state.reply = { text: '', finish: 'stop', deltas: ['a', 'b', 'c'] };
    const ctrl = new AbortController();
    const done = engine.complete(req, { signal: ctrl.signal, onDelta: () => ctrl.abort() });
    await expect(done).rejects.toBeInstanceOf(EngineError);
    await expect(done).rejects.toMatchObject({ code: 'aborted' });
    expect(fake.calls).toContain('interruptGenerate');
  });

  it('does not call WebLLM when already aborted', async () => {
    const { engine, fake } = await loaded();
    await expect(engine.complete(req, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'aborted',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('maps a generation error (model unloaded after a lost device)', async () => {
    const { engine } = await loaded();
    h.state.completionError = Object.assign(
      new Error('Model not loaded before trying to complete CompletionCreateParams.'),
      { name: 'ModelNotLoadedError' },
    );
    await expect(engine.complete(req)).rejects.toMatchObject({ code: 'device-lost' });
  });
});

describe('load', () => {
  const reports: InitProgressReport[] = [
    { progress: 0, timeElapsed: 0, text: 'Start to fetch params' },
    {
      progress: 0.5,
      timeElapsed: 3,
      text: 'Fetching param cache[11/22]: 390MB fetched. 50% completed, 3 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.',
    },
    {
      progress: 1,
      timeElapsed: 6,
      text: 'Loading model from cache[22/22]: 776MB loaded. 100% completed, 6 secs elapsed.',
    },
    {
      progress: 1,
      timeElapsed: 2,
      text: 'Loading GPU shader modules[89/89]: 100% completed, 2 secs elapsed.',
    },
    { progress: 1, timeElapsed: 9.4, text: 'Finish loading on WebGPU - apple' },
  ];

  it('reloads the model, reports three-phase progress and describes the model', async () => {
    h.state.reload = async (e) => reports.forEach((r) => e.config.initProgressCallback?.(r));
    const seen: LoadProgress[] = [];
    const engine = new WebLLMEngine({ model: LLAMA, onProgress: (p) => seen.push(p) });
    const desc = await engine.load();
    expect(desc).toEqual({
      id: LLAMA,
      engine: 'webllm',
      concurrency: 1,
      streams: true,
      contextWindow: 4096,
      firstTokenControl: true,
    });
    expect(h.state.engines[0]!.calls).toEqual([`reload ${LLAMA}`]);
    expect(seen.map((p) => p.phase)).toEqual(['starting', 'fetch', 'cache', 'shaders', 'done']);
    expect(seen.at(-1)).toMatchObject({
      fromCache: false,
      gpu: 'WebGPU - apple',
      fetch: 1,
      cache: 1,
      shaders: 1,
    });
  });

  it('passes the appConfig to MLCEngine', async () => {
    const appConfig = { ...h.prebuiltAppConfig, cacheBackend: 'indexeddb' as const };
    await new WebLLMEngine({ model: LLAMA, appConfig: appConfig as never }).load();
    expect(h.state.engines[0]!.config.appConfig).toBe(appConfig);
  });

  it('unloads and throws aborted when the signal fires during reload', async () => {
    let finish!: () => void;
    h.state.reload = () => new Promise((r) => (finish = r)); // reload() resolves quietly after unload()
    const ctrl = new AbortController();
    const engine = new WebLLMEngine({ model: LLAMA });
    const done = engine.load(ctrl.signal);
    await vi.waitFor(() => expect(h.state.engines).toHaveLength(1));
    ctrl.abort();
    finish();
    await expect(done).rejects.toMatchObject({ code: 'aborted' });
    expect(h.state.engines[0]!.calls).toContain('unload');
  });

  it('throws aborted when reload rejects with the unload reason string', async () => {
    const ctrl = new AbortController();
    h.state.reload = async () => {
      ctrl.abort();
      throw 'Engine.unload() is called.';
    };
    await expect(new WebLLMEngine({ model: LLAMA }).load(ctrl.signal)).rejects.toMatchObject({
      code: 'aborted',
    });
  });

  it('maps a device lost during reload', async () => {
    h.state.reload = async () => {
      throw Object.assign(new Error('The WebGPU device was lost while loading the model.'), {
        name: 'DeviceLostError',
      });
    };
    const err = await new WebLLMEngine({ model: LLAMA }).load().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'device-lost' });
    expect((err as EngineError).hint).toMatch(/-1k/);
  });

  it('maps a fetch failure during download', async () => {
    h.state.reload = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(new WebLLMEngine({ model: LLAMA }).load()).rejects.toMatchObject({
      code: 'download-failed',
      retryable: true,
    });
  });

  it('dispose() unloads', async () => {
    const { engine, fake } = await loaded();
    await engine.dispose();
    expect(fake.calls.at(-1)).toBe('unload');
    await expect(
      engine.complete({ prompt: 'x', maxTokens: 1, temperature: 1, topP: 1, stop: [] }),
    ).rejects.toBeInstanceOf(EngineError);
  });
});

describe('cache helpers (model-catalog) call WebLLM with the same appConfig', () => {
  it('isModelCached -> hasModelInCache, deleteCachedModel -> deleteModelAllInfoInCache', async () => {
    const appConfig = h.prebuiltAppConfig as never;
    expect(await isModelCached(LLAMA, appConfig)).toBe(true);
    await deleteCachedModel(LLAMA, appConfig);
    expect(h.hasModelInCache).toHaveBeenCalledWith(LLAMA, appConfig);
    expect(h.deleteModelAllInfoInCache).toHaveBeenCalledWith(LLAMA, appConfig);
  });
});

describe('first-token control (a logit processor on the first sampled token)', () => {
  const HEADINGS = [2, 567, 14711, 827];
  const instruction: CompletionRequest = {
    prompt: llamaPrompt,
    maxTokens: 64,
    temperature: 1,
    topP: 1,
    stop: ['<|eot_id|>'],
  };
  const plain = (i: number) => (i % 7) + 1;

  it('says it can apply one once the model is loaded', async () => {
    const engine = new WebLLMEngine({ model: LLAMA });
    const model = await engine.load();
    expect(model.firstTokenControl).toBe(true);
    expect(h.state.engines[0]!.config.logitProcessorRegistry?.has(LLAMA)).toBe(true);
  });

  it('bans the Llama-3 heading tokens as the first token only, then lets later requests be', async () => {
    const { engine, fake } = await loaded();
    h.state.reply = { text: 'How do I bake bread?', finish: 'stop' };
    await engine.complete({ ...instruction, firstToken: 'ban-headings' });
    const [first, second, third] = fake.processed[0]!;
    for (const id of HEADINGS) expect(first![id]).toBe(-Infinity);
    expect(first![3]).toBe(plain(3));
    expect(first!.filter((x) => x === -Infinity)).toHaveLength(HEADINGS.length);
    for (const later of [second!, third!]) {
      expect(later.every((x, i) => x === plain(i))).toBe(true);
    }
    // The request WebLLM receives carries no extra field: the rule lives in the processor.
    expect(fake.requests[0]).not.toHaveProperty('firstToken');
    expect(fake.requests[0]).not.toHaveProperty('logit_bias');

    await engine.complete({ ...instruction, prompt: llamaPrompt + 'Hi<|eot_id|>' });
    expect(fake.processed[1]!.every((l) => l.every((x, i) => x === plain(i)))).toBe(true);
  });

  it('divides the first token’s logits by 1.2 for flaming tokens', async () => {
    const { engine, fake } = await loaded();
    await engine.complete({ ...instruction, firstToken: 'flaming' });
    const [first, second] = fake.processed[0]!;
    expect(first![0]).toBeCloseTo(plain(0) / 1.2, 6);
    expect(first![5]).toBeCloseTo(plain(5) / 1.2, 6);
    expect(second!.every((x, i) => x === plain(i))).toBe(true);
  });

  it('does not leave a rule armed when its request fails', async () => {
    const { engine, fake } = await loaded();
    h.state.completionError = new Error('boom');
    await expect(engine.complete({ ...instruction, firstToken: 'ban-headings' })).rejects.toThrow();
    h.state.completionError = undefined;
    await engine.complete(instruction);
    expect(fake.processed.at(-1)!.every((l) => l.every((x, i) => x === plain(i)))).toBe(true);
  });
});
