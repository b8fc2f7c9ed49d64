import { describe, expect, it } from 'vitest';
import { EngineError } from '../../shared/engine';
import { toEngineError } from './errors';

// llama.cpp's log lines as wllama 3.13 printed them in Chromium for these files.
const BAD_ARCH_LOG = [
  'ggml_webgpu: Failed to get an adapter: WebGPU not available on this browser (requestAdapter returned null)',
  "llama_model_load: error loading model: unknown model architecture: 'notallama'",
  'llama_model_load_from_file_impl: failed to load model',
  "common_init_: failed to load model 'models/model-00001-of-00001.gguf'",
  "srv    load_model: failed to load model, 'models/model-00001-of-00001.gguf'",
];
const NOT_GGUF_LOG = [
  "gguf_init_from_reader: invalid magic characters: 'hell', expected 'GGUF'",
  'llama_model_load: error loading model: llama_model_loader: failed to load model from models/model-00001-of-00001.gguf',
  'llama_model_load_from_file_impl: failed to load model',
];

const failed = new Error('llama.cpp could not load the model');

describe('toEngineError', () => {
  it('names an architecture llama.cpp does not know', () => {
    const err = toEngineError(failed, BAD_ARCH_LOG);
    expect(err.code).toBe('unsupported-model');
    expect(err.message).toBe(
      "This llama.cpp build does not know the model's architecture (notallama).",
    );
  });
  it('says a file is not a GGUF', () => {
    expect(toEngineError(failed, NOT_GGUF_LOG)).toMatchObject({ code: 'invalid-file' });
  });
  it('maps out-of-memory crashes in WebAssembly', () => {
    for (const text of [
      '(ABORT) Aborted(OOM)',
      'RangeError: WebAssembly.Memory(): could not allocate memory',
      'memory access out of bounds',
      'ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 4294967296',
    ]) {
      expect(toEngineError(new Error(text)).code, text).toBe('out-of-memory');
    }
  });
  it('maps a lost GPU, and keeps it non-retryable', () => {
    const err = toEngineError(new Error('(ABORT) ggml_webgpu: Device lost! Reason: 1'));
    expect(err).toMatchObject({ code: 'device-lost', retryable: false });
    expect(err.hint).toContain('Every finished pair is kept');
  });
  it('turns wllama’s abort into an aborted request', () => {
    const abort = Object.assign(new Error('Operation aborted'), { name: 'AbortError' });
    expect(toEngineError(abort).code).toBe('aborted');
  });
  it('keeps llama.cpp’s own words for anything else', () => {
    const err = toEngineError(new Error('Model failed to start inference'), ['something odd']);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('unknown');
    expect(err.message).toBe('llama.cpp failed: Model failed to start inference (something odd)');
  });
});
