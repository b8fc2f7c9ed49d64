/**
 * Every WebLLM failure as an EngineError a person can act on.
 *
 * WebLLM's error classes are mostly not exported, and errors that cross a worker arrive
 * as strings made by `err.toString()` ("DeviceLostError: The WebGPU device was lost..."),
 * so this matches on `name` or on the "<Name>: " prefix, then on message text for the
 * plain Errors WebLLM throws (no adapter, limits, fetch failures). Names and texts are
 * those of @mlc-ai/web-llm 0.2.86 (lib/error.d.ts, lib/index.js).
 */
import { EngineError, type EngineErrorCode } from '../../shared/engine';

interface Parts {
  name: string;
  message: string;
}

/** Name and message of an Error, a DOMException-like object or a "Name: message" string. */
export function errorParts(err: unknown): Parts {
  let name = '';
  let message: string;
  if (typeof err === 'object' && err !== null && 'message' in err) {
    name = String((err as { name?: unknown }).name ?? '');
    message = String((err as { message: unknown }).message);
  } else {
    message = String(err);
  }
  const prefixed = /^([A-Z]\w*(?:Error|Exception)):\s*([\s\S]*)$/.exec(message);
  if (prefixed && (name === '' || name === 'Error')) {
    name = prefixed[1] ?? name;
    message = prefixed[2] ?? '';
  }
  return { name, message };
}

const WEBGPU_HINT =
  'WebGPU needs a secure page (https, or http://localhost) and a browser with WebGPU turned on: ' +
  'use Chrome or Edge 113 or newer on a desktop or laptop.';
const OOM_HINT =
  'Try a smaller model or its -1k (short context) variant and close other GPU-heavy tabs. ' +
  'Loading the model again works without reloading the page.';
const DOWNLOAD_HINT =
  'Check the internet connection (the model host is huggingface.co) and load again: ' +
  'shards already downloaded stay in the browser cache, so the download resumes.';

/** [test, code, plain message, what to try, append WebLLM's own first line (it names a URL, id or limit)] */
type Rule = [
  test: (p: Parts) => boolean,
  code: EngineErrorCode,
  message: string,
  hint: string,
  detail?: true,
];

const is =
  (...names: string[]) =>
  (p: Parts) =>
    names.includes(p.name);
const says = (re: RegExp) => (p: Parts) => re.test(p.message);

const RULES: Rule[] = [
  [
    (p) => p.name === 'AbortError' || /Engine\.unload\(\) is called/.test(p.message),
    'aborted',
    'Loading was cancelled.',
    'Load the model again when you are ready.',
  ],
  [
    (p) => p.name === 'QuotaExceededError' || /quota/i.test(p.message),
    'storage-full',
    'The browser has no storage space left for the model files.',
    'Delete cached models you no longer need, free disk space, or pick a smaller model. ' +
      'Private windows get very little storage.',
  ],
  [
    (p) =>
      is('WebGPUNotAvailableError', 'WebGPUNotFoundError')(p) ||
      /WebGPU is not supported in your current environment/.test(p.message),
    'webgpu-unavailable',
    'WebGPU is not available in this browser or on this page.',
    WEBGPU_HINT,
  ],
  [
    says(/Unable to find a compatible GPU/),
    'webgpu-unavailable',
    'The browser found no usable GPU (no WebGPU adapter).',
    'The GPU may be blocklisted or hardware acceleration turned off: enable hardware ' +
      'acceleration in the browser settings, update the GPU driver, and check chrome://gpu.',
  ],
  [
    says(/Cannot initialize runtime because of requested \w+ exceeds limit/),
    'webgpu-unavailable',
    "This GPU's WebGPU limits are too small for WebLLM.",
    'Update the browser and GPU driver, or use another device.',
    true,
  ],
  [
    is('ShaderF16SupportError', 'FeatureSupportError'),
    'webgpu-unavailable',
    'This model needs 16-bit float shaders (shader-f16), which this GPU or browser lacks.',
    'Pick the q4f32_1 version of the same model.',
  ],
  [
    (p) => p.name === 'DeviceLostError' || /device (was )?lost/i.test(p.message),
    'device-lost',
    'The GPU stopped working while running the model; this usually means it ran out of memory.',
    OOM_HINT,
  ],
  [
    is('ModelNotLoadedError', 'WorkerEngineModelNotLoadedError', 'EngineNotLoadedError'),
    'device-lost',
    'The model is no longer loaded; the GPU was probably lost (often out of memory).',
    OOM_HINT,
  ],
  [
    (p) => /out of memory|OutOfMemory|allocation failed/i.test(p.message),
    'out-of-memory',
    'The model did not fit in memory.',
    OOM_HINT,
  ],
  [
    (p) =>
      is('ModelNotFoundError', 'MissingModelError', 'SpecifiedModelNotFoundError')(p) ||
      /Cannot find model record in appConfig/.test(p.message),
    'model-not-found',
    'WebLLM has no such model in its model list.',
    'Pick a model from the list; a custom model needs a model_list entry with model, model_id and model_lib.',
    true,
  ],
  [
    is('IntegrityError'),
    'download-failed',
    'A downloaded model file failed its integrity check.',
    'Delete the cached model in the model manager and load it again.',
    true,
  ],
  [
    says(
      /Failed to fetch|NetworkError|Load failed|Cannot fetch|Unable to fetch|failed to fetch|Network response was not ok|Request failed|Failed to store/,
    ),
    'download-failed',
    'Downloading the model failed: the network or the model host could not be reached.',
    DOWNLOAD_HINT,
  ],
  [
    is('ContextWindowSizeExceededError'),
    'unknown',
    "The prompt is longer than the model's context window.",
    'Shorten the system prompt or the conversation, or pick a model without the -1k suffix.',
    true,
  ],
];

/** Map anything WebLLM throws (or a string from another worker) to an EngineError. */
export function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  const parts = errorParts(err);
  for (const [test, code, message, hint, withDetail] of RULES) {
    if (!test(parts)) continue;
    const text = withDetail ? `${message} (${detail(parts)})` : message;
    const error = new EngineError(code, text, hint, code === 'download-failed');
    // The exception's own words stay out of the headline, under "Details".
    error.details = detail(parts);
    return error;
  }
  // WebLLM's ConfigValueError family (its RangeError shares the built-in's name).
  if (/Error$/.test(parts.name) && /^Make sure |requires .+ to be/.test(parts.message)) {
    return new EngineError(
      'unknown',
      `WebLLM rejected a generation setting: ${parts.message}`,
      'Check the sampling settings: temperature >= 0, 0 < top_p <= 1, max tokens > 0.',
    );
  }
  return new EngineError('unknown', detail(parts), 'Check the browser console for details.');
}

/**
 * A failed download, told apart: the browser's Cache API rejects any non-OK answer with
 * "Request failed" and a dead network with "Failed to fetch", WebLLM's IndexedDB cache says
 * "Network response was not ok", so the status is read from WebLLM's text where it names
 * one (its OPFS cache) or asked again with one GET of the model's config file.
 */
export async function explainDownload(
  error: EngineError,
  configUrl: string,
  fetchImpl: typeof fetch = fetch,
): Promise<EngineError> {
  if (error.code !== 'download-failed' || /integrity/i.test(error.message)) return error;
  const named = /received status (\d{3})/.exec(error.details ?? '');
  let status = named ? Number(named[1]) : undefined;
  if (status === undefined) {
    try {
      const response = await fetchImpl(configUrl, {
        cache: 'no-store',
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
    } catch {
      status = 0;
    }
  }
  const told = downloadFailure(status, host(configUrl));
  if (!told) return error;
  const explained = new EngineError(told.code, told.message, told.hint, told.retryable);
  explained.details = error.details;
  return explained;
}

function downloadFailure(status: number, host: string) {
  if (status === 0) {
    return {
      code: 'download-failed' as const,
      message: `The model host (${host}) could not be reached: this browser seems to be offline, or the host is blocked.`,
      hint: DOWNLOAD_HINT,
      retryable: true,
    };
  }
  if (status === 404 || status === 410) {
    return {
      code: 'model-not-found' as const,
      message: `The model host (${host}) has no files for this model (HTTP ${status}): it was removed or renamed.`,
      hint: 'Pick another model from the list. The list comes with the app’s WebLLM version, so a newer version of the app may know where the model went.',
      retryable: false,
    };
  }
  if (status === 401 || status === 403) {
    return {
      code: 'download-failed' as const,
      message: `The model host (${host}) refused the model's files (HTTP ${status}).`,
      hint: 'The model may be gated or private; pick another model.',
      retryable: false,
    };
  }
  if (status >= 400) {
    return {
      code: 'download-failed' as const,
      message: `The model host (${host}) answered HTTP ${status} for the model's files.`,
      hint: `${status >= 500 || status === 429 ? 'The host is having trouble; wait a little and ' : ''}load again: shards already downloaded stay in the browser cache.`,
      retryable: true,
    };
  }
  // The host answers now: the download broke off part-way (the network dropped).
  return {
    code: 'download-failed' as const,
    message: 'The download broke off part-way: the connection dropped.',
    hint: DOWNLOAD_HINT,
    retryable: true,
  };
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function detail(p: Parts): string {
  const first = p.message.split('\n')[0] ?? '';
  return p.name && p.name !== 'Error' ? `${p.name}: ${first}` : first;
}

export function abortedError(what = 'Generation'): EngineError {
  return new EngineError('aborted', `${what} was stopped.`, 'Start it again when you are ready.');
}
