/**
 * The catalogue on WebLLM's REAL prebuilt model list (no mock in this file), the GPU
 * fit rules, and checkWebGPU against fake `navigator.gpu` objects.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ModelType, prebuiltAppConfig } from '@mlc-ai/web-llm';
import {
  MODEL_TYPE,
  defaultModel,
  fitsGpu,
  groupByFamily,
  loadCatalog,
  storageEstimate,
  twinFor,
  type CatalogModel,
} from './model-catalog';
import { checkWebGPU, type GpuCapability, type WebGPUEnv } from './webgpu';

let models: CatalogModel[];
beforeAll(async () => {
  models = await loadCatalog();
});
const get = (id: string) => {
  const m = models.find((x) => x.id === id);
  if (!m) throw new Error(`${id} not in catalogue`);
  return m;
};
const ids = () => models.map((m) => m.id);

const MB = 1 << 20;
const gpu = (over: Partial<Extract<GpuCapability, { ok: true }>> = {}): GpuCapability => ({
  ok: true,
  adapter: {
    vendor: 'intel',
    architecture: 'gen-12lp',
    device: '',
    description: '',
    isFallbackAdapter: false,
  },
  shaderF16: true,
  limits: {
    maxBufferSize: 2048 * MB,
    maxStorageBufferBindingSize: 2048 * MB,
    maxComputeWorkgroupStorageSize: 32768,
    maxStorageBuffersPerShaderStage: 10,
  },
  notes: [],
  ...over,
});

describe('catalogue (real prebuiltAppConfig)', () => {
  it("uses WebLLM's ModelType values", () => {
    expect(MODEL_TYPE).toEqual({ embedding: ModelType.embedding, VLM: ModelType.VLM });
  });

  it('drops embedding, vision and base models and keeps the rest of the list', () => {
    const all = prebuiltAppConfig.model_list.map((m) => m.model_id);
    expect(ids().every((id) => all.includes(id))).toBe(true);
    const dropped = all.filter((id) => !ids().includes(id));
    expect(dropped.some((id) => id.startsWith('snowflake-arctic-embed'))).toBe(true);
    expect(dropped.every((id) => /embed|vision|-Base-|^phi-2-|^phi-1_5-/.test(id))).toBe(true);
    expect(ids()).toContain('Phi-3.5-mini-instruct-q4f16_1-MLC');
    expect(ids()).not.toContain('Phi-3.5-vision-instruct-q4f16_1-MLC');
  });

  it('reads quantization, context variant, f16 need and tags', () => {
    expect(get('Llama-3.1-8B-Instruct-q4f16_1-MLC-1k')).toMatchObject({
      family: 'Llama',
      quantization: 'q4f16_1',
      contextVariant: '1k',
      contextWindow: 1024,
      needsF16: true,
      lowResource: true,
    });
    expect(get('Qwen2.5-1.5B-Instruct-q4f32_1-MLC')).toMatchObject({
      quantization: 'q4f32_1',
      needsF16: false,
      contextWindow: 4096,
      tags: [],
    });
    expect(get('Qwen3-0.6B-q0f16-MLC')).toMatchObject({
      quantization: 'q0f16',
      needsF16: true,
      tags: ['thinking'],
    });
    expect(get('Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC').tags).toEqual(['code']);
    expect(get('Qwen2.5-Math-1.5B-Instruct-q4f16_1-MLC').tags).toEqual(['math']);
    expect(get('DeepSeek-R1-Distill-Llama-8B-q4f16_1-MLC')).toMatchObject({
      family: 'other',
      tags: ['reasoning'],
    });
    expect(models.filter((m) => !m.needsF16).every((m) => /f32/.test(m.quantization))).toBe(true);
    expect(get('gemma-2b-it-q4f16_1-MLC').bufferSizeRequiredBytes).toBe(262144000);
  });

  it('groups by family, other last, smallest first', () => {
    const groups = groupByFamily(models);
    expect(groups.map((g) => g.family)).toEqual([
      'Llama',
      'Qwen',
      'SmolLM',
      'Phi',
      'Gemma',
      'Mistral',
      'OLMo',
      'Hermes',
      'other',
    ]);
    const of = (f: string) => groups.find((g) => g.family === f)!.models.map((m) => m.id);
    expect(of('Hermes')).toEqual(
      expect.arrayContaining([
        'Hermes-3-Llama-3.2-3B-q4f16_1-MLC',
        'OpenHermes-2.5-Mistral-7B-q4f16_1-MLC',
      ]),
    );
    expect(of('Llama').some((id) => /Hermes|TinyLlama|DeepSeek/.test(id))).toBe(false);
    expect(of('Mistral')).toEqual(
      expect.arrayContaining([
        'Mistral-7B-Instruct-v0.3-q4f16_1-MLC',
        'Ministral-3-3B-Instruct-2512-BF16-q4f16_1-MLC',
      ]),
    );
    expect(of('Gemma')).toContain('gemma3-1b-it-q4f16_1-MLC');
    expect(of('OLMo')).toContain('OLMo-2-0425-1B-Instruct-q4f16_1-MLC');
    expect(of('SmolLM')[0]).toBe('SmolLM2-135M-Instruct-q0f16-MLC');
    for (const g of groups) {
      const sizes = g.models.map((m) => m.vramMB ?? Infinity);
      expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    }
  });

  it('finds the q4f32_1 twin of a q4f16_1 model when WebLLM ships one', () => {
    expect(twinFor('Llama-3.2-1B-Instruct-q4f16_1-MLC', models)?.id).toBe(
      'Llama-3.2-1B-Instruct-q4f32_1-MLC',
    );
    expect(twinFor('gemma-2-2b-it-q4f16_1-MLC-1k', models)?.id).toBe(
      'gemma-2-2b-it-q4f32_1-MLC-1k',
    );
    expect(twinFor('Qwen3-0.6B-q0f16-MLC', models)?.id).toBe('Qwen3-0.6B-q0f32-MLC');
    expect(twinFor('gemma3-1b-it-q4f16_1-MLC', models)).toBeUndefined();
    expect(twinFor('Llama-3.2-1B-Instruct-q4f32_1-MLC', models)).toBeUndefined();
  });
});

describe('fitsGpu and defaultModel', () => {
  const noF16 = gpu({ shaderF16: false });

  it('blocks f16 models on a GPU without shader-f16 and passes their twins', () => {
    expect(fitsGpu(get('Llama-3.2-1B-Instruct-q4f16_1-MLC'), noF16)).toMatchObject({
      fits: false,
      blocking: true,
      reason: expect.stringMatching(/shader-f16/),
    });
    expect(fitsGpu(get('SmolLM2-1.7B-Instruct-q4f16_1-MLC'), noF16).blocking).toBe(true);
    expect(fitsGpu(get('Llama-3.2-1B-Instruct-q4f32_1-MLC'), noF16)).toEqual({
      fits: true,
      blocking: false,
    });
  });

  it('warns (not blocks) when the model is larger than the memory budget', () => {
    expect(fitsGpu(get('Llama-3.1-8B-Instruct-q4f16_1-MLC'), gpu())).toMatchObject({
      fits: false,
      blocking: false,
      reason: expect.stringMatching(/4\.9 GB/),
    });
    expect(fitsGpu(get('Llama-3.1-8B-Instruct-q4f16_1-MLC'), gpu(), 12_000).fits).toBe(true);
  });

  it('respects small storage buffers', () => {
    const small = gpu({
      limits: {
        maxBufferSize: 256 * MB,
        maxStorageBufferBindingSize: 128 * MB,
        maxComputeWorkgroupStorageSize: 32768,
        maxStorageBuffersPerShaderStage: 10,
      },
    });
    expect(fitsGpu(get('gemma-2b-it-q4f16_1-MLC-1k'), small).blocking).toBe(true);
    expect(fitsGpu(get('gemma-2-2b-it-q4f16_1-MLC'), small)).toMatchObject({
      fits: false,
      blocking: false,
    });
    expect(fitsGpu(get('Llama-3.2-1B-Instruct-q4f16_1-MLC'), small).fits).toBe(true);
  });

  it('blocks everything when WebGPU is unusable', () => {
    const none: GpuCapability = {
      ok: false,
      problem: 'no-webgpu',
      message: 'No WebGPU.',
      hint: '',
    };
    expect(fitsGpu(get('SmolLM2-360M-Instruct-q4f32_1-MLC'), none)).toEqual({
      fits: false,
      blocking: true,
      reason: 'No WebGPU.',
    });
    expect(defaultModel(models, none)).toBeUndefined();
  });

  it('picks Llama-3.2-1B, its q4f32 twin without f16, and a tiny model on a weak GPU', () => {
    expect(defaultModel(models, gpu())?.id).toBe('Llama-3.2-1B-Instruct-q4f16_1-MLC');
    expect(defaultModel(models, noF16)?.id).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
    const weak = gpu({
      shaderF16: false,
      adapter: {
        vendor: 'google',
        architecture: 'swiftshader',
        device: '',
        description: 'SwiftShader',
        isFallbackAdapter: true,
      },
    });
    expect(defaultModel(models, weak)?.id).toBe('SmolLM2-360M-Instruct-q4f32_1-MLC');
  });
});

describe('checkWebGPU', () => {
  const limits = {
    maxBufferSize: 4096 * MB,
    maxStorageBufferBindingSize: 2048 * MB,
    maxComputeWorkgroupStorageSize: 32768,
    maxStorageBuffersPerShaderStage: 10,
  };
  const adapter = (over: Record<string, unknown> = {}) => ({
    features: new Set(['shader-f16']),
    limits,
    info: {
      vendor: 'apple',
      architecture: 'metal-3',
      device: '',
      description: 'Apple M2',
      isFallbackAdapter: false,
    },
    ...over,
  });
  const env = (a: unknown, secure = true): WebGPUEnv => ({
    isSecureContext: secure,
    navigator: { gpu: { requestAdapter: async () => a as never } },
  });

  it('explains an insecure page and a browser without WebGPU', async () => {
    expect(await checkWebGPU({ isSecureContext: false, navigator: {} })).toMatchObject({
      ok: false,
      problem: 'insecure-context',
      hint: expect.stringMatching(/https.*localhost/),
    });
    expect(await checkWebGPU({ isSecureContext: true, navigator: {} })).toMatchObject({
      ok: false,
      problem: 'no-webgpu',
      hint: expect.stringMatching(/Chrome or Edge 113/),
    });
  });

  it('explains a missing adapter and too-small limits', async () => {
    expect(await checkWebGPU(env(null))).toMatchObject({
      ok: false,
      problem: 'no-adapter',
      hint: expect.stringMatching(/blocklisted/),
    });
    const tiny = adapter({ limits: { ...limits, maxStorageBufferBindingSize: 64 * MB } });
    expect(await checkWebGPU(env(tiny))).toMatchObject({
      ok: false,
      problem: 'limits-too-small',
      message: expect.stringMatching(/maxStorageBufferBindingSize/),
      adapter: { description: 'Apple M2' },
    });
  });

  it('reports the adapter, f16 and limits when WebGPU works', async () => {
    expect(await checkWebGPU(env(adapter()))).toEqual({
      ok: true,
      shaderF16: true,
      limits,
      notes: [],
      adapter: {
        vendor: 'apple',
        architecture: 'metal-3',
        device: '',
        description: 'Apple M2',
        isFallbackAdapter: false,
      },
    });
  });

  it('falls back to requestAdapterInfo() and notes missing f16 and a software adapter', async () => {
    const old = adapter({
      info: undefined,
      features: new Set(),
      isFallbackAdapter: true,
      requestAdapterInfo: async () => ({ vendor: 'google', architecture: 'swiftshader' }),
    });
    const cap = await checkWebGPU(env(old));
    expect(cap).toMatchObject({
      ok: true,
      shaderF16: false,
      adapter: { vendor: 'google', description: '', isFallbackAdapter: true },
    });
    expect(cap.ok && cap.notes.join(' ')).toMatch(/q4f32_1.*software/s);
  });
});

describe('storageEstimate', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('reads navigator.storage.estimate()', async () => {
    vi.stubGlobal('navigator', {
      storage: { estimate: async () => ({ usage: 900 * MB, quota: 10_000 * MB }) },
    });
    expect(await storageEstimate()).toEqual({ usageBytes: 900 * MB, quotaBytes: 10_000 * MB });
  });
  it('is undefined where the Storage API is missing', async () => {
    vi.stubGlobal('navigator', {});
    expect(await storageEstimate()).toBeUndefined();
  });
});
