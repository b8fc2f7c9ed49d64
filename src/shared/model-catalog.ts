/**
 * Which WebLLM models Magpie Studio offers, grouped for the picker, and whether each
 * can run on this GPU. The list is WebLLM's own `prebuiltAppConfig.model_list`: the
 * picker gets it as data (engine/webllm/prebuilt-models.json, checked against the installed
 * WebLLM by a test) so a first visit does not load WebLLM.
 *
 * Bundle size: '@mlc-ai/web-llm' is one 6.8 MB ES module with top-level side effects and
 * no `sideEffects: false`; a Vite build of `import { prebuiltAppConfig }` alone came out
 * at 5.9 MB minified (nothing shaken). So this file imports WebLLM only as types and
 * loads it with `import()` inside the async helpers. In the worker that import is free
 * (the engine already holds the module); the page should get the catalogue and the cache
 * helpers from the worker rather than call them itself, or it pays a second 6 MB chunk.
 * Everything else here is plain functions on plain data, safe on the page and in workers.
 */
import type { AppConfig, ModelRecord } from '@mlc-ai/web-llm';
import type { GpuCapability } from './webgpu';

/** Families in picker order; 'other' collects models whose chat template is their own. */
// prettier-ignore
export const FAMILY_ORDER = [
  'Llama', 'Qwen', 'SmolLM', 'Phi', 'Gemma', 'Mistral', 'OLMo', 'Hermes', 'other',
] as const;
export type ModelFamily = (typeof FAMILY_ORDER)[number];
/**
 * Kept but labelled. code/math: domain-tuned; Magpie on them yields domain data (the
 * Magpie authors published Qwen2.5-Coder-made sets). reasoning: always writes a long
 * chain of thought first. thinking: Qwen3/Qwen3.5 switchable thinking; a raw prompt must
 * write the empty `<think>\n\n</think>\n\n` block itself to skip it.
 */
export type ModelTag = 'code' | 'math' | 'reasoning' | 'thinking';

export interface CatalogModel {
  id: string;
  family: ModelFamily;
  vramMB?: number;
  lowResource: boolean;
  /** e.g. q4f16_1, q4f32_1, q0f16, q0f32, q3f16_1. */
  quantization: string;
  /** '1k' for the short-context builds (less KV-cache memory). */
  contextVariant?: '1k';
  contextWindow?: number;
  needsF16: boolean;
  tags: ModelTag[];
  bufferSizeRequiredBytes?: number;
}

/** WebLLM's ModelType enum values (LLM = 0), checked against the real enum in the tests. */
export const MODEL_TYPE = { embedding: 1, VLM: 2 } as const;
/** Base models: no chat template, so no pre-query template for Magpie to start from. */
const BASE = [/-Base-/, /^phi-2-/, /^phi-1_5-/];

const FAMILIES: [RegExp, ModelFamily][] = [
  [/Hermes/, 'Hermes'],
  // Own chat templates, not their base model's: grouped as other.
  [/^(DeepSeek|WizardMath|TinyLlama|stablelm|RedPajama)/, 'other'],
  [/^Llama/, 'Llama'],
  [/^Qwen/, 'Qwen'],
  [/^SmolLM/, 'SmolLM'],
  [/^phi/i, 'Phi'],
  [/^gemma/i, 'Gemma'],
  [/^(Mistral|Ministral)/, 'Mistral'],
  [/^OLMo/, 'OLMo'],
];
const TAGS: [RegExp, ModelTag][] = [
  [/Coder/, 'code'],
  [/Math/, 'math'],
  [/DeepSeek-R1|Reasoning/, 'reasoning'],
  [/^Qwen3/, 'thinking'],
];

export function isMagpieCandidate(r: ModelRecord): boolean {
  const type = r.model_type as number | undefined;
  if (type === MODEL_TYPE.embedding || type === MODEL_TYPE.VLM) return false;
  return !BASE.some((re) => re.test(r.model_id));
}

export function toCatalogModel(r: ModelRecord): CatalogModel {
  const id = r.model_id;
  const quantization = /-(q\d+f\d+(?:_\d+)?)(?:-|$)/.exec(id)?.[1] ?? 'unknown';
  const m: CatalogModel = {
    id,
    family: FAMILIES.find(([re]) => re.test(id))?.[1] ?? 'other',
    lowResource: r.low_resource_required === true,
    quantization,
    needsF16: /^q\d+f16/.test(quantization) || (r.required_features ?? []).includes('shader-f16'),
    tags: TAGS.filter(([re]) => re.test(id)).map(([, t]) => t),
  };
  if (r.vram_required_MB !== undefined) m.vramMB = r.vram_required_MB;
  if (/-1k$/.test(id)) m.contextVariant = '1k';
  const ctx = r.overrides?.context_window_size;
  if (ctx !== undefined && ctx > 0) m.contextWindow = ctx;
  if (r.buffer_size_required_bytes) m.bufferSizeRequiredBytes = r.buffer_size_required_bytes;
  return m;
}

export function buildCatalog(records: readonly ModelRecord[]): CatalogModel[] {
  return records.filter(isMagpieCandidate).map(toCatalogModel);
}

/** Families in a fixed order ('other' last), models smallest first; empty groups left out. */
export function groupByFamily(
  models: readonly CatalogModel[],
): { family: ModelFamily; models: CatalogModel[] }[] {
  const size = (m: CatalogModel) => m.vramMB ?? Infinity;
  const ofFamily = (f: ModelFamily) => models.filter((m) => m.family === f);
  return FAMILY_ORDER.map((family) => ({
    family,
    models: ofFamily(family).sort((a, b) => size(a) - size(b)),
  })).filter((g) => g.models.length > 0);
}

/** The f32 build of an f16 model (q4f16_1 -> q4f32_1, q0f16 -> q0f32), when WebLLM ships one. */
export function twinFor(
  modelId: string,
  models: readonly CatalogModel[],
): CatalogModel | undefined {
  const twinId = modelId.replace(/-q(\d+)f16(_\d+)?-/, '-q$1f32$2-');
  return twinId === modelId ? undefined : models.find((m) => m.id === twinId);
}

export interface Fit {
  fits: boolean;
  /** True when loading will fail for sure; false when it only may not fit. */
  blocking: boolean;
  reason?: string;
}

/** GPU memory WebGPU will not tell us: assume ~4 GB free, less on low-RAM or software GPUs. */
export function vramBudgetMB(cap: GpuCapability): number {
  if (!cap.ok) return 0;
  if (cap.adapter.isFallbackAdapter) return 1024;
  const ram = cap.deviceMemoryGB;
  return ram !== undefined && ram < 8 ? ram * 512 : 4096;
}

const no = (blocking: boolean, reason: string): Fit => ({ fits: false, blocking, reason });
const gb = (mb: number) => (mb / 1024).toFixed(1);

export function fitsGpu(model: CatalogModel, cap: GpuCapability, budget = vramBudgetMB(cap)): Fit {
  if (!cap.ok) return no(true, cap.message);
  if (model.needsF16 && !cap.shaderF16) {
    return no(true, 'Needs shader-f16, which this GPU lacks: use the q4f32_1 build.');
  }
  const binding = cap.limits.maxStorageBufferBindingSize;
  if ((model.bufferSizeRequiredBytes ?? 0) > binding) {
    return no(true, 'Needs larger GPU storage buffers than this GPU allows.');
  }
  if (binding < 1 << 30 && !model.lowResource) {
    return no(false, 'Not marked low-resource by WebLLM, and this GPU has small buffers.');
  }
  if ((model.vramMB ?? 0) > budget) {
    return no(
      false,
      `Needs ~${gb(model.vramMB ?? 0)} GB of GPU memory; ~${gb(budget)} GB is safe here.`,
    );
  }
  return { fits: true, blocking: false };
}

/** Small, good at Magpie, fits most laptops; the f32 twin when the GPU has no f16. */
const DEFAULTS = [
  'Llama-3.2-1B-Instruct-q4f16_1-MLC',
  'Qwen2.5-1.5B-Instruct-q4f16_1-MLC',
  'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
  'SmolLM2-360M-Instruct-q4f16_1-MLC',
];

export function defaultModel(
  models: readonly CatalogModel[],
  cap: GpuCapability,
): CatalogModel | undefined {
  const usable = (m: CatalogModel | undefined) => (m && fitsGpu(m, cap).fits ? m : undefined);
  for (const id of DEFAULTS) {
    const m = models.find((x) => x.id === id);
    const pick = usable(m) ?? (m && usable(twinFor(m.id, models)));
    if (pick) return pick;
  }
  return undefined;
}

const webllm = () => import('@mlc-ai/web-llm');

/** The catalogue of `appConfig` (WebLLM's prebuilt list when omitted). */
export async function loadCatalog(appConfig?: AppConfig): Promise<CatalogModel[]> {
  return buildCatalog((appConfig ?? (await webllm()).prebuiltAppConfig).model_list);
}

/** Pass the engine's appConfig: the cache backend and the record both come from it. */
export async function isModelCached(id: string, appConfig?: AppConfig): Promise<boolean> {
  return (await webllm()).hasModelInCache(id, appConfig);
}

export async function deleteCachedModel(id: string, appConfig?: AppConfig): Promise<void> {
  await (await webllm()).deleteModelAllInfoInCache(id, appConfig);
}

export async function storageEstimate(): Promise<
  { usageBytes: number; quotaBytes: number } | undefined
> {
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  const est = await storage?.estimate?.().catch(() => undefined);
  return est ? { usageBytes: est.usage ?? 0, quotaBytes: est.quota ?? 0 } : undefined;
}
