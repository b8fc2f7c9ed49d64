/**
 * The engine at wllama's boundary: the `@wllama/wllama` module replaced by a recorder (the
 * real llama.cpp runs in the browser test, e2e/gguf.spec.ts). Checks what the engine asks of
 * wllama, what it reads back, and how failures reach the pipeline.
 */
import type { Wllama } from '@wllama/wllama';
import { describe, expect, it } from 'vitest';
import { makeTinyGguf } from '../../../scripts/make-tiny-gguf.mjs';
import { toErrorInfo, type EngineError, type WllamaEngineConfig } from '../../shared/engine';
import { cpuFallback, WllamaEngine } from './wllama-engine';

interface Call {
  method: string;
  args: unknown[];
}

const tinyFile = () => new File([new Uint8Array(makeTinyGguf())], 'tiny-chatml.gguf');

function fakeModule(
  behaviour: { loadFails?: string; hang?: boolean; deviceLostAfter?: number } = {},
) {
  const calls: Call[] = [];
  let config: { logger: { error: (...a: unknown[]) => void } } | undefined;
  class FakeWllama {
    constructor(paths: unknown, cfg: typeof config) {
      config = cfg;
      calls.push({ method: 'new', args: [paths] });
    }
    setCompat(c: unknown) {
      calls.push({ method: 'setCompat', args: [c] });
    }
    async loadModel(files: Blob[], params: unknown) {
      calls.push({ method: 'loadModel', args: [files, params] });
      if (behaviour.loadFails) config?.logger.error(behaviour.loadFails);
    }
    getLoadedContextInfo() {
      return behaviour.loadFails
        ? { success: false, n_vocab: 0, n_ctx: 0 }
        : { success: true, n_vocab: 459, n_ctx: 4096 };
    }
    getChatTemplate() {
      return null;
    }
    getNumThreads() {
      return 1;
    }
    async createCompletion(options: Record<string, unknown>) {
      calls.push({ method: 'createCompletion', args: [options] });
      if (behaviour.hang) {
        // llama.cpp notices an abort only at its next poll; this one never polls again.
        return new Promise(() => undefined);
      }
      const done = calls.filter((c) => c.method === 'createCompletion').length - 1;
      if (behaviour.deviceLostAfter !== undefined && done >= behaviour.deviceLostAfter) {
        // What llama.cpp's WebGPU backend does when the device goes: it logs the loss, and
        // the next GPU wait aborts the WebAssembly module (wllama's text for that).
        config?.logger.error('ggml_webgpu: Device lost! Reason: 1, Message: Device was destroyed.');
        throw new Error('(ABORT) ggml_webgpu: wait failed with status 2');
      }
      return {
        choices: [{ text: ' ocean', index: 0, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 },
      };
    }
    async exit() {
      calls.push({ method: 'exit', args: [] });
    }
  }
  return { calls, module: { Wllama: FakeWllama as unknown as typeof Wllama } };
}

const config = (files: File[]): WllamaEngineConfig => ({
  kind: 'wllama',
  model: 'tiny-chatml.gguf',
  files,
  threads: 2,
  gpuLayers: 0,
});

describe('WllamaEngine', () => {
  it('loads the file with the threads and offload asked for, no seed, and the file’s template', async () => {
    const { calls, module } = fakeModule();
    const file = tinyFile();
    const engine = new WllamaEngine({ config: config([file]), module });
    const model = await engine.load();
    expect(calls.find((c) => c.method === 'setCompat')?.args).toEqual([null]);
    const load = calls.find((c) => c.method === 'loadModel');
    expect(load?.args[0]).toEqual([file]);
    expect(load?.args[1]).toEqual({ n_threads: 2, n_gpu_layers: 0, n_ctx: 4096, n_parallel: 1 });
    expect(model).toMatchObject({
      id: 'tiny-chatml.gguf',
      engine: 'wllama',
      concurrency: 2,
      inSampleOrder: true,
      streams: true,
      contextWindow: 4096,
      threads: 1,
      webgpu: false,
      bosToken: '<s>',
    });
    expect(model.chatTemplate).toContain('<|im_start|>');
  });

  it('refuses a file that is not a GGUF before starting llama.cpp', async () => {
    const { calls, module } = fakeModule();
    const engine = new WllamaEngine({
      config: config([new File(['not a model'], 'notes.gguf')]),
      module,
    });
    await expect(engine.load()).rejects.toMatchObject({ code: 'invalid-file' });
    expect(calls.some((c) => c.method === 'loadModel')).toBe(false);
  });

  it('reports a load llama.cpp refused with the reason from its log', async () => {
    const { module } = fakeModule({
      loadFails: "llama_model_load: error loading model: unknown model architecture: 'rwkv9'",
    });
    const engine = new WllamaEngine({ config: config([tinyFile()]), module });
    await expect(engine.load()).rejects.toMatchObject({
      code: 'unsupported-model',
      message: "This llama.cpp build does not know the model's architecture (rwkv9).",
    });
  });

  it('sends the raw prompt with a per-request seed and reads the answer', async () => {
    const { calls, module } = fakeModule();
    const engine = new WllamaEngine({ config: config([tinyFile()]), module });
    await engine.load();
    const result = await engine.complete({
      prompt: '<|im_start|>user\n',
      maxTokens: 16,
      temperature: 1,
      topP: 1,
      seed: 3,
      stop: ['\n'],
    });
    const sent = calls.find((c) => c.method === 'createCompletion')?.args[0];
    expect(sent).toMatchObject({
      prompt: '<|im_start|>user\n',
      max_tokens: 16,
      seed: 3,
      stop: ['\n'],
      stream: false,
    });
    expect(result).toMatchObject({ text: ' ocean', finishReason: 'stop' });
    expect(result.usage.completionTokens).toBe(2);
  });

  it('ends an aborted request at once, without waiting for llama.cpp', async () => {
    const { module } = fakeModule({ hang: true });
    const engine = new WllamaEngine({ config: config([tinyFile()]), module });
    await engine.load();
    const stop = new AbortController();
    const pending = engine.complete(
      { prompt: 'x', maxTokens: 8, temperature: 1, topP: 1, stop: [] },
      { signal: stop.signal },
    );
    stop.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });

  it('hands wllama a second request while one runs (llama.cpp runs them in turn), a third waits', async () => {
    const { calls, module } = fakeModule({ hang: true });
    const engine = new WllamaEngine({ config: config([tinyFile()]), module });
    await engine.load();
    const asked = () => calls.filter((c) => c.method === 'createCompletion').length;
    const stops = [0, 1, 2].map(() => new AbortController());
    const pending = stops.map((stop, i) =>
      engine
        .complete(
          { prompt: `p${i}`, maxTokens: 8, temperature: 1, topP: 1, stop: [] },
          { signal: stop.signal },
        )
        .catch(() => undefined),
    );
    await new Promise((r) => setTimeout(r, 5));
    expect(asked()).toBe(2);
    stops[0]!.abort();
    await pending[0];
    await new Promise((r) => setTimeout(r, 5));
    expect(asked()).toBe(3);
    const prompts = calls
      .filter((c) => c.method === 'createCompletion')
      .map((c) => (c.args[0] as { prompt: string }).prompt);
    expect(prompts).toEqual(['p0', 'p1', 'p2']);
    for (const stop of stops) stop.abort();
    await Promise.all(pending);
  });

  it('a GPU lost mid-run: a clear non-retryable error, and later requests get it at once', async () => {
    const { calls, module } = fakeModule({ deviceLostAfter: 1 });
    const engine = new WllamaEngine({
      config: { ...config([tinyFile()]), gpuLayers: 999 },
      module,
    });
    await engine.load();
    const ask = () =>
      engine.complete({ prompt: 'x', maxTokens: 8, temperature: 1, topP: 1, stop: [] });
    await expect(ask()).resolves.toMatchObject({ text: ' ocean' });
    const lost = await ask().catch((e: unknown) => e);
    expect(lost).toMatchObject({
      code: 'device-lost',
      retryable: false,
      message: 'The GPU was lost while llama.cpp ran the model on it (WebGPU device lost).',
    });
    expect((lost as { hint: string }).hint).toMatch(/finished pair is kept.*GPU offload off/);
    // The offer the error carries: the same model again on the CPU, with the threads asked for.
    expect((lost as EngineError).fallback).toEqual({
      action: 'Continue on the CPU (2 threads)',
      changes: { gpuLayers: 0, threads: 2 },
    });
    // It crosses to the page with the run's error.
    expect(toErrorInfo(lost).fallback).toEqual((lost as EngineError).fallback);
    // llama.cpp's dead worker is let go; the next request is not sent to it.
    await expect.poll(() => calls.some((c) => c.method === 'exit')).toBe(true);
    const sent = calls.filter((c) => c.method === 'createCompletion').length;
    await expect(ask()).rejects.toMatchObject({ code: 'device-lost' });
    expect(calls.filter((c) => c.method === 'createCompletion')).toHaveLength(sent);
  });

  it('offers the CPU only when the GPU had layers and the model can be loaded again', () => {
    const file = tinyFile();
    expect(cpuFallback({ ...config([file]), gpuLayers: 999, threads: 1 })).toEqual({
      action: 'Continue on the CPU (1 thread)',
      changes: { gpuLayers: 0, threads: 1 },
    });
    const url = { kind: 'wllama', model: 'm', url: 'https://x/m.gguf', threads: 4 } as const;
    expect(cpuFallback({ ...url, gpuLayers: 8 })?.changes).toEqual({ gpuLayers: 0, threads: 4 });
    // Already on the CPU: nothing else to offer.
    expect(cpuFallback({ ...config([file]), gpuLayers: 0 })).toBeUndefined();
    // No file and no URL to load it from again (a stored run's config).
    expect(cpuFallback({ kind: 'wllama', model: 'm', threads: 2, gpuLayers: 99 })).toBeUndefined();
  });
});
