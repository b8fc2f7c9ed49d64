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
  userAgent?: string;
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

/** The browser and OS as far as the hints need them, from the user agent string. */
export interface BrowserKind {
  browser: 'chrome' | 'edge' | 'firefox' | 'safari' | 'other';
  os: 'linux' | 'windows' | 'macos' | 'android' | 'ios' | 'chromeos' | 'other';
  version?: number;
}

export function browserKind(userAgent = ''): BrowserKind {
  const ua = userAgent;
  const os: BrowserKind['os'] = /Android/.test(ua)
    ? 'android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'ios'
      : /CrOS/.test(ua)
        ? 'chromeos'
        : /Windows/.test(ua)
          ? 'windows'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macos'
            : /Linux|X11/.test(ua)
              ? 'linux'
              : 'other';
  const version = (re: RegExp) => Number(re.exec(ua)?.[1]) || undefined;
  if (/Firefox\//.test(ua)) return { browser: 'firefox', os, version: version(/Firefox\/(\d+)/) };
  if (/Edg\//.test(ua)) return { browser: 'edge', os, version: version(/Edg\/(\d+)/) };
  if (/(Chrome|Chromium)\//.test(ua)) {
    return { browser: 'chrome', os, version: version(/(?:Chrome|Chromium)\/(\d+)/) };
  }
  if (/Safari\//.test(ua)) return { browser: 'safari', os, version: version(/Version\/(\d+)/) };
  return { browser: 'other', os };
}

const SERVER_WAY = 'Or use a completion server instead.';

/**
 * What to do about missing WebGPU in this browser on this OS. Status as of late 2026:
 * Chrome/Edge have it on Windows, macOS and ChromeOS from 113 and on Android 12+ from 121,
 * but Linux builds keep it behind a flag for most GPUs; Firefox turns it on by default on
 * Windows (141) and Apple-silicon macOS (145) only; Safari from 26.
 */
export function webgpuHint(kind: BrowserKind, problem: 'no-webgpu' | 'no-adapter'): string {
  const { browser, os, version } = kind;
  const name = browser === 'edge' ? 'Edge' : 'Chrome';
  const chromium = browser === 'chrome' || browser === 'edge';
  if (chromium && os === 'linux') {
    return (
      `On Linux, ${name} and Chromium keep WebGPU switched off for most GPUs: open ` +
      'chrome://flags/#enable-unsafe-webgpu, set it to Enabled and relaunch (some GPUs also ' +
      'need chrome://flags/#enable-vulkan). Check chrome://gpu for "WebGPU: Hardware accelerated". ' +
      SERVER_WAY
    );
  }
  if (chromium && version !== undefined && version < (os === 'android' ? 121 : 113)) {
    return `${name} ${version} is too old for WebGPU: update it (${os === 'android' ? '121' : '113'} or newer). ${SERVER_WAY}`;
  }
  if (chromium && problem === 'no-webgpu') {
    return `${name} normally has WebGPU here: it may be switched off by a policy or flag; check chrome://gpu. ${SERVER_WAY}`;
  }
  if (chromium) {
    return (
      'The GPU may be blocklisted or hardware acceleration switched off: turn on hardware ' +
      `acceleration in ${name}'s settings (System), update the GPU driver, and check chrome://gpu. ${SERVER_WAY}`
    );
  }
  if (browser === 'firefox') {
    const where =
      os === 'windows'
        ? 'Firefox has WebGPU on Windows from version 141: update Firefox, and check that hardware acceleration is on.'
        : os === 'macos'
          ? 'Firefox has WebGPU on Apple-silicon Macs from version 145: update Firefox (Intel Macs are not covered yet).'
          : 'Firefox does not turn WebGPU on here yet (it does on Windows and Apple-silicon Macs); Firefox Nightly can try it with dom.webgpu.enabled in about:config.';
    return `${where} For WebLLM, Chrome or Edge is the safer choice. ${SERVER_WAY}`;
  }
  if (browser === 'safari') {
    return (
      'Safari has WebGPU from Safari 26 (macOS 26, iOS and iPadOS 26): update the system; on ' +
      `older Safari turn on WebGPU under Develop > Feature Flags. ${SERVER_WAY}`
    );
  }
  if (problem === 'no-adapter') {
    return (
      'The GPU may be blocklisted or hardware acceleration switched off: turn on hardware ' +
      `acceleration in the browser's settings and update the GPU driver. ${SERVER_WAY}`
    );
  }
  return `Use Chrome or Edge 113 or newer on a desktop or laptop. ${SERVER_WAY}`;
}

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
    return fail(
      'no-webgpu',
      'This browser has no WebGPU (or it is switched off).',
      webgpuHint(browserKind(env.navigator?.userAgent), 'no-webgpu'),
    );
  }
  const adapter = await gpu
    .requestAdapter({ powerPreference: 'high-performance' })
    .catch(() => null);
  if (!adapter) {
    return fail(
      'no-adapter',
      'The browser found no usable GPU.',
      webgpuHint(browserKind(env.navigator?.userAgent), 'no-adapter'),
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
