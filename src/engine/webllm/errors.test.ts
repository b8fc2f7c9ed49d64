/**
 * Every WebLLM failure -> EngineError code and words. WebLLM's error classes are not
 * exported, so they are rebuilt here with the names and texts of lib/index.js (0.2.86);
 * the last test checks those names and texts against the shipped source.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../shared/engine';
import { errorParts, toEngineError } from './errors';

const named = (name: string, message: string) => Object.assign(new Error(message), { name });
/** What a WebWorkerMLCEngine client rejects with: the handler's `err.toString()`. */
const crossed = (err: Error) => err.toString();

const deviceLost = named(
  'DeviceLostError',
  'The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM). To resolve this, try reloading with a model that has fewer parameters or uses a smaller context length.',
);
const noWebGPU = named(
  'WebGPUNotAvailableError',
  'WebGPU is not supported in your current environment, but it is necessary to run the WebLLM engine. Please make sure that your browser supports WebGPU and that it is enabled in your browser settings.',
);
const notFound = named(
  'ModelNotFoundError',
  'Cannot find model record in appConfig for Llama-9B-q4f16_1-MLC. Please check if the model ID is correct and included in the model_list configuration.',
);
const URL =
  'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC/resolve/main/params_shard_3.bin';

const cases: [label: string, err: unknown, code: string, message: RegExp, hint: RegExp][] = [
  [
    'WebGPUNotAvailableError',
    noWebGPU,
    'webgpu-unavailable',
    /WebGPU is not available/,
    /https.*localhost.*Chrome or Edge 113/,
  ],
  [
    'WebGPUNotAvailableError as a string',
    crossed(noWebGPU),
    'webgpu-unavailable',
    /not available/,
    /Chrome or Edge 113/,
  ],
  [
    'no adapter (plain Error)',
    new Error(
      "Unable to find a compatible GPU. This issue might be because your computer doesn't have a GPU",
    ),
    'webgpu-unavailable',
    /no usable GPU/,
    /blocklisted|hardware acceleration/,
  ],
  [
    'limits too small',
    new Error(
      'Cannot initialize runtime because of requested maxStorageBufferBindingSize exceeds limit. requested=128MB, limit=64MB. ',
    ),
    'webgpu-unavailable',
    /limits are too small.*requested=128MB, limit=64MB/,
    /Update/,
  ],
  [
    'ShaderF16SupportError',
    named(
      'ShaderF16SupportError',
      'This model requires WebGPU extension shader-f16, which is not enabled in this browser.',
    ),
    'webgpu-unavailable',
    /shader-f16/,
    /q4f32_1/,
  ],
  [
    'DeviceLostError',
    deviceLost,
    'device-lost',
    /out of memory/,
    /smaller model.*-1k.*without reloading the page/,
  ],
  [
    'DeviceLostError as a string from a worker',
    crossed(deviceLost),
    'device-lost',
    /out of memory/,
    /-1k/,
  ],
  [
    'DeviceLostError wrapped in a plain Error',
    new Error(crossed(deviceLost)),
    'device-lost',
    /out of memory/,
    /-1k/,
  ],
  [
    'ModelNotLoadedError after a lost device',
    named(
      'ModelNotLoadedError',
      'Model not loaded before trying to complete CompletionCreateParams.',
    ),
    'device-lost',
    /no longer loaded/,
    /Loading the model again/,
  ],
  [
    'ModelNotFoundError as a string',
    crossed(notFound),
    'model-not-found',
    /no such model.*Llama-9B-q4f16_1-MLC/,
    /model_list/,
  ],
  [
    'fetch failure (Chrome)',
    new TypeError('Failed to fetch'),
    'download-failed',
    /network or the model host/,
    /resumes/,
  ],
  [
    'fetch failure (Firefox)',
    new TypeError('NetworkError when attempting to fetch resource.'),
    'download-failed',
    /could not be reached/,
    /cache/,
  ],
  [
    'Cache.add on HTTP error',
    new TypeError("Failed to execute 'add' on 'Cache': Request failed"),
    'download-failed',
    /Downloading the model failed/,
    /resumes/,
  ],
  [
    'OPFS cache HTTP error',
    new Error(`ArtifactOPFSCache: Unable to fetch ${URL}, received status 503`),
    'download-failed',
    /^Downloading the model failed/,
    /resumes/,
  ],
  [
    'quota (DOMException)',
    new DOMException('Quota exceeded.', 'QuotaExceededError'),
    'storage-full',
    /no storage space/,
    /Delete cached models/,
  ],
  [
    'quota as a string from a worker',
    'QuotaExceededError: Quota exceeded.',
    'storage-full',
    /storage/,
    /smaller model/,
  ],
  [
    'quota inside an IndexedDB store error',
    new Error(
      `Failed to store ${URL} with error: QuotaExceededError: The quota has been exceeded.`,
    ),
    'storage-full',
    /storage/,
    /Delete/,
  ],
  [
    'IntegrityError',
    named(
      'IntegrityError',
      `Integrity verification failed for ${URL}\n  Expected: sha256-a\n  Actual: sha256-b`,
    ),
    'download-failed',
    /integrity check/,
    /Delete the cached model/,
  ],
  ['unload during reload', 'Engine.unload() is called.', 'aborted', /cancelled/, /again/],
  [
    'context window exceeded',
    named(
      'ContextWindowSizeExceededError',
      'Prompt tokens exceed context window size: number of prompt tokens: 1500; context window size: 1024\nConsider shortening the prompt',
    ),
    'unknown',
    /context window.*1500.*1024/,
    /-1k/,
  ],
  [
    'bad sampling value (WebLLM RangeError)',
    named('RangeError', 'Make sure 0 < top_p <= 1.'),
    'unknown',
    /rejected a generation setting: Make sure 0 < top_p <= 1/,
    /top_p/,
  ],
  ['anything else', new Error('tokenizer exploded'), 'unknown', /tokenizer exploded/, /console/],
];

describe('toEngineError', () => {
  it.each(cases)('%s', (_label, err, code, message, hint) => {
    const e = toEngineError(err);
    expect(e).toBeInstanceOf(EngineError);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.hint).toMatch(hint);
  });

  it('marks only download failures retryable', () => {
    expect(toEngineError(new TypeError('Failed to fetch')).retryable).toBe(true);
    expect(toEngineError(deviceLost).retryable).toBe(false);
  });

  it('passes an EngineError through', () => {
    const e = new EngineError('aborted', 'Generation was stopped.', '');
    expect(toEngineError(e)).toBe(e);
  });

  it('splits "Name: message" strings', () => {
    expect(errorParts('DeviceLostError: The WebGPU device was lost')).toEqual({
      name: 'DeviceLostError',
      message: 'The WebGPU device was lost',
    });
    expect(errorParts('plain words')).toEqual({ name: '', message: 'plain words' });
  });

  it("uses the names and texts in WebLLM's shipped source", () => {
    const require = createRequire(import.meta.url);
    const src = readFileSync(require.resolve('@mlc-ai/web-llm'), 'utf8');
    for (const name of [
      'WebGPUNotAvailableError',
      'WebGPUNotFoundError',
      'DeviceLostError',
      'ModelNotLoadedError',
      'ModelNotFoundError',
      'ShaderF16SupportError',
      'FeatureSupportError',
      'IntegrityError',
      'ContextWindowSizeExceededError',
      'MissingModelError',
      'RangeError',
    ]) {
      expect(src).toContain(`this.name = "${name}"`);
    }
    for (const text of [
      'Unable to find a compatible GPU',
      'Cannot initialize runtime because of requested maxStorageBufferBindingSize ',
      '"Engine.unload() is called."',
      'const errStr = err.toString();',
      'Cannot find model record in appConfig for ',
    ]) {
      expect(src).toContain(text);
    }
  });
});
