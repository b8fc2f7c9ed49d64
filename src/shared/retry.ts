/**
 * Retrying an engine call: errors the engine marks retryable (5xx, 429, a dropped
 * connection, a malformed answer, a timeout) are tried again with exponential backoff;
 * anything else, the last attempt, or a stop ends it. Generation and the judge both use it.
 */
import { EngineError } from './engine';

export async function withRetries<T>(
  attempt: () => Promise<T>,
  signal: AbortSignal,
  maxAttempts: number,
  baseMs: number,
): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      const retryable = err instanceof EngineError && err.retryable;
      if (!retryable || i + 1 >= maxAttempts || signal.aborted) throw err;
      await wait(baseMs * 2 ** i, signal);
    }
  }
}

/** Resolves after `ms`, or at once when the signal stops the work. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
