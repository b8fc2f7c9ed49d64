/**
 * Every wllama / llama.cpp failure as an EngineError a person can act on.
 *
 * wllama reports little in its errors: a failed load resolves with `success: false` and the
 * reason is only in llama.cpp's log, and a crash in WebAssembly arrives as "(ABORT) ..." text.
 * So the engine keeps llama.cpp's last error lines and this reads both. Texts are those of
 * @wllama/wllama 3.13 (esm/index.js) and llama.cpp b12211 (llama-model-loader, gguf.cpp).
 */
import { EngineError, type EngineErrorCode } from '../../shared/engine';

type Rule = [test: RegExp, code: EngineErrorCode, message: string, hint: string];

const OOM_HINT =
  'Choose a smaller model or a smaller quantization (Q4_K_M instead of Q8_0), close other ' +
  'heavy tabs, and load again.';

const RULES: Rule[] = [
  [
    /invalid magic characters|failed to read magic|not a gguf|gguf_init_from_\w+: failed/i,
    'invalid-file',
    'This file is not a GGUF model.',
    'Choose a .gguf file, e.g. from a Hugging Face repository whose name ends in -GGUF.',
  ],
  [
    /unknown model architecture: '([^']*)'/i,
    'unsupported-model',
    "This llama.cpp build does not know the model's architecture.",
    'Choose a model of a family llama.cpp supports (Llama, Qwen, Gemma, Mistral, Phi, SmolLM...), or a newer GGUF conversion of it.',
  ],
  [
    /device (was )?lost|DeviceLost/i,
    'device-lost',
    'The GPU was lost while llama.cpp ran the model on it (WebGPU device lost).',
    'Every finished pair is kept. Continue on the CPU: load the same model again with GPU offload off (llama.cpp then runs it on the CPU), then resume the run.',
  ],
  [
    /\bOOM\b|out of memory|could not allocate memory|failed to allocate|insufficient memory|Cannot enlarge memory|memory access out of bounds|Array buffer allocation failed/i,
    'out-of-memory',
    'The model does not fit in the memory the browser gives this page.',
    OOM_HINT,
  ],
  [
    /kv cache|context (is )?full|exceeds the available context/i,
    'server-error',
    "The prompt and answer do not fit in the model's context.",
    'Lower max tokens in the run settings, or choose a model with a longer context (the judge’s prompts are long).',
  ],
  [
    /QuotaExceeded|quota/i,
    'storage-full',
    'The browser has no room left to cache the model.',
    'Delete downloaded models you no longer use (Downloaded models), then load again.',
  ],
  [
    /Failed to fetch|NetworkError|download|HTTP \d{3}|status \d{3}/i,
    'download-failed',
    'The model could not be downloaded.',
    'Check the URL (it must allow this page to fetch it: CORS) and the connection, then load again.',
  ],
];

function textOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'message' in err) {
    return String((err as { message: unknown }).message);
  }
  return String(err);
}

function isAbort(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError'
  );
}

export function abortedError(what = 'The request'): EngineError {
  return new EngineError('aborted', `${what} was stopped.`, 'Nothing to do.');
}

/** `err` (anything wllama threw) read together with llama.cpp's last error lines. */
export function toEngineError(err: unknown, nativeLog: readonly string[] = []): EngineError {
  if (err instanceof EngineError) return err;
  if (isAbort(err)) return abortedError();
  const own = textOf(err);
  // The native log says why; wllama's own message is often only "failed to load".
  const texts = [own, ...nativeLog];
  for (const [test, code, message, hint] of RULES) {
    for (const text of texts) {
      const m = test.exec(text);
      if (!m) continue;
      const detail = code === 'unsupported-model' && m[1] ? ` (${m[1]})` : '';
      return new EngineError(code, message.replace(/\.$/, `${detail}.`), hint);
    }
  }
  const last = nativeLog[nativeLog.length - 1];
  return new EngineError(
    'unknown',
    `llama.cpp failed: ${own}${last && last !== own ? ` (${last})` : ''}`,
    'Check the browser console for llama.cpp’s log.',
  );
}
