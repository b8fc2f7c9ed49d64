/**
 * What a completion server accepts in one request, asked once per server and model with
 * two requests of one token each: `n: 2` (vLLM yes; llama.cpp's server refuses; Ollama
 * ignores it and answers one choice) and `prompt` as an array of two (vLLM and llama.cpp
 * yes; Ollama refuses). An answer (2xx, or a 400/422 refusal) is remembered for as long as the worker
 * lives; a failure that says nothing (5xx, timeout) counts as "no" for this connection only.
 */
import { EngineError, type ServerBatching } from '../../shared/engine';
import { CompletionResponse } from './completion';
import { fetchJson } from './http';

const known = new Map<string, ServerBatching>();
const PROBE_TIMEOUT_MS = 60_000;

export async function probeBatching(
  base: string,
  model: string,
  lookup: { apiKey?: string; signal?: AbortSignal },
): Promise<ServerBatching> {
  const key = `${base}\n${model}`;
  const remembered = known.get(key);
  if (remembered) return remembered;
  const ask = async (fields: Record<string, unknown>): Promise<boolean | undefined> => {
    try {
      const answer = await fetchJson(`${base}/completions`, CompletionResponse, {
        method: 'POST',
        body: { model, max_tokens: 1, temperature: 1, stream: false, ...fields },
        apiKey: lookup.apiKey,
        signal: lookup.signal,
        timeoutMs: PROBE_TIMEOUT_MS,
      });
      return answer.choices.length === 2;
    } catch (err) {
      if (err instanceof EngineError && err.code === 'aborted') throw err;
      // A refusal (a 400 or 422) is an answer; anything else says nothing about batches.
      const refused = err instanceof EngineError && err.code === 'server-error' && !err.retryable;
      return refused ? false : undefined;
    }
  };
  const [n, promptArrays] = await Promise.all([
    ask({ prompt: 'Hello', n: 2 }),
    ask({ prompt: ['Hello', 'Hi'] }),
  ]);
  const caps = { n: n ?? false, promptArrays: promptArrays ?? false };
  if (n !== undefined && promptArrays !== undefined) known.set(key, caps);
  return caps;
}

/** Forget what servers answered (tests). */
export function forgetProbes(): void {
  known.clear();
}
