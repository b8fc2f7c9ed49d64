/**
 * Can this browser run WebLLM? Checked on the page before anything is downloaded, with
 * a reason a person can act on when it can't.
 *
 * Mirrors what WebLLM 0.2.86 itself demands in `detectGPUDevice()` (lib/index.js): an
 * adapter from `navigator.gpu.requestAdapter({ powerPreference: "high-performance" })`,
 * maxBufferSize >= 256 MB (1 GB preferred), maxStorageBufferBindingSize >= 128 MB (1 GB
 * preferred), maxComputeWorkgroupStorageSize >= 32 KB, maxStorageBuffersPerShaderStage
 * >= 10. `@webgpu/types` is not a dependency, so the few types needed are declared here;
 * globals are read through `globalThis`, so the file compiles for the page and the worker.
 */

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface AdapterLike {
  features: { has(name: string): boolean };
  limits: Record<string, number | undefined>;
  info?: AdapterInfoLike;
  /** Before `info.isFallbackAdapter` (Chrome < 131). */
  isFallbackAdapter?: boolean;
  /** Before `adapter.info` (Chrome < 127). */
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
}
interface NavigatorLike {
  gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null> };
  /** Chrome's rough RAM figure in GB (capped at 8). */
  deviceMemory?: number;
}
export interface WebGPUEnv {
  navigator?: NavigatorLike;
  isSecureContext?: boolean;
}

export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}
export interface GpuLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  maxComputeWorkgroupStorageSize: number;
  maxStorageBuffersPerShaderStage: number;
}
export type GpuProblem = 'no-webgpu' | 'insecure-context' | 'no-adapter' | 'limits-too-small';

export type GpuCapability =
  | {
      ok: true;
      adapter: GpuAdapterSummary;
      shaderF16: boolean;
      limits: GpuLimits;
      /** Things that work but limit the choice of model (no f16, small buffers, software GPU). */
      notes: string[];
      deviceMemoryGB?: number;
    }
  | { ok: false; problem: GpuProblem; message: string; hint: string; adapter?: GpuAdapterSummary };

const MB = 1 << 20;
/** WebLLM's minimum limits (it asks for 1 GB buffers and falls back to these). */
export const WEBLLM_MIN_LIMITS: GpuLimits = {
  maxBufferSize: 256 * MB,
  maxStorageBufferBindingSize: 128 * MB,
  maxComputeWorkgroupStorageSize: 32 << 10,
  maxStorageBuffersPerShaderStage: 10,
};
export const WEBLLM_PREFERRED_BINDING_SIZE = 1024 * MB;

const BROWSER_HINT = 'Use Chrome or Edge 113 or newer on a desktop or laptop.';

export async function checkWebGPU(
  env: WebGPUEnv = globalThis as unknown as WebGPUEnv,
): Promise<GpuCapability> {
  const gpu = env.navigator?.gpu;
  if (!gpu) {
    // WebGPU is exposed only in secure contexts, so an http page looks like "no WebGPU".
    if (env.isSecureContext === false) {
      return fail(
        'insecure-context',
        'WebGPU needs a secure page.',
        'Open the app over https, or on http://localhost.',
      );
    }
    return fail('no-webgpu', 'This browser has no WebGPU (or it is switched off).', BROWSER_HINT);
  }
  const adapter = await gpu
    .requestAdapter({ powerPreference: 'high-performance' })
    .catch(() => null);
  if (!adapter) {
    return fail(
      'no-adapter',
      'The browser found no usable GPU.',
      'The GPU may be blocklisted or hardware acceleration switched off: turn on hardware ' +
        'acceleration in the browser settings, update the GPU driver, and check chrome://gpu.',
    );
  }
  const summary = await describe(adapter);
  const limits = readLimits(adapter);
  const short = (Object.keys(WEBLLM_MIN_LIMITS) as (keyof GpuLimits)[]).filter(
    (k) => limits[k] < WEBLLM_MIN_LIMITS[k],
  );
  if (short.length > 0) {
    const list = short.map((k) => `${k} ${limits[k]} < ${WEBLLM_MIN_LIMITS[k]}`).join(', ');
    const message = `This GPU's WebGPU limits are too small for WebLLM (${list}).`;
    return fail('limits-too-small', message, 'Update the browser and GPU driver.', summary);
  }
  const shaderF16 = adapter.features.has('shader-f16');
  const notes: string[] = [];
  if (!shaderF16) notes.push('No shader-f16: only the q4f32_1 / q0f32 models can run here.');
  if (limits.maxStorageBufferBindingSize < WEBLLM_PREFERRED_BINDING_SIZE) {
    notes.push(
      `Storage buffers are limited to ${Math.round(limits.maxStorageBufferBindingSize / MB)} MB ` +
        '(WebLLM prefers 1024 MB): models marked low-resource are the safe choice.',
    );
  }
  if (summary.isFallbackAdapter)
    notes.push('This is a software GPU: generation will be very slow.');
  const deviceMemoryGB = env.navigator?.deviceMemory;
  return {
    ok: true,
    adapter: summary,
    shaderF16,
    limits,
    notes,
    ...(deviceMemoryGB ? { deviceMemoryGB } : {}),
  };
}

function fail(
  problem: GpuProblem,
  message: string,
  hint: string,
  adapter?: GpuAdapterSummary,
): GpuCapability {
  return { ok: false, problem, message, hint, ...(adapter ? { adapter } : {}) };
}

async function describe(adapter: AdapterLike): Promise<GpuAdapterSummary> {
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined)) ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
  };
}

function readLimits(adapter: AdapterLike): GpuLimits {
  // WebGPU limit objects expose getters on the prototype: read each name, don't spread.
  const get = (k: keyof GpuLimits) => adapter.limits[k] ?? 0;
  return {
    maxBufferSize: get('maxBufferSize'),
    maxStorageBufferBindingSize: get('maxStorageBufferBindingSize'),
    maxComputeWorkgroupStorageSize: get('maxComputeWorkgroupStorageSize'),
    maxStorageBuffersPerShaderStage: get('maxStorageBuffersPerShaderStage'),
  };
}
