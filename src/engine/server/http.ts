/**
 * The one way the server engine talks HTTP. It owns timeouts and cancellation and turns
 * every failure (no server, CORS, bad key, wrong address, server crash, garbage answer)
 * into an EngineError from errors.ts, so callers only deal with good answers.
 */
import type { z } from 'zod';
import { EngineError } from '../../shared/engine';
import { serverErrors, serverMessage } from './errors';

export interface HttpOptions {
  method?: 'GET' | 'POST';
  /** Sent as JSON. */
  body?: unknown;
  apiKey?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Fetches `url` and validates its JSON answer with `schema`. */
export function fetchJson<T>(
  url: string,
  schema: z.ZodType<T>,
  options: HttpOptions & { wrongShape?: 'bad-response' | 'not-openai' } = {},
): Promise<T> {
  return call(url, options, async (response) => {
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('html') || /^\s*</.test(text)) {
      throw serverErrors.notOpenAI(url, 'answered with a web page');
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (!type.includes('json'))
        throw serverErrors.notOpenAI(url, 'answered with something that is not JSON');
      throw serverErrors.badResponse('malformed JSON');
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    if (options.wrongShape === 'not-openai') {
      throw serverErrors.notOpenAI(url, 'answered with JSON of another shape');
    }
    throw serverErrors.badResponse(
      `an answer of an unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`,
    );
  });
}

/** Fetches `url` and hands the decoded body to `onText` piece by piece as it arrives. */
export function fetchStream(
  url: string,
  options: HttpOptions,
  onText: (text: string) => void,
): Promise<void> {
  return call(url, options, async (response) => {
    if ((response.headers.get('content-type') ?? '').includes('html')) {
      throw serverErrors.notOpenAI(url, 'answered with a web page');
    }
    if (!response.body) throw serverErrors.badResponse('an empty stream');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        try {
          onText(value);
        } catch (err) {
          throw new FromCallback(err);
        }
      }
    } catch (err) {
      reader.cancel().catch(() => undefined);
      throw err;
    }
  });
}

/** An error of the caller's callback: passed on as it is, not taken for a network failure. */
class FromCallback {
  constructor(readonly error: unknown) {}
}

async function call<T>(
  url: string,
  options: HttpOptions,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  if (options.signal?.aborted) throw serverErrors.aborted();
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, options.timeoutMs);
  let connected = false;
  try {
    const response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: headers(options),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: controller.signal,
    });
    connected = true;
    if (!response.ok) throw await statusError(url, response, options.apiKey !== undefined);
    return await read(response);
  } catch (err) {
    if (timedOut) throw serverErrors.timeout(options.timeoutMs ?? 0);
    if (controller.signal.aborted) throw serverErrors.aborted();
    if (err instanceof FromCallback) throw err.error;
    if (err instanceof EngineError) throw err;
    if (connected) throw serverErrors.dropped(url);
    throw await corsOrUnreachable(url);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function headers(options: HttpOptions): Record<string, string> {
  const out: Record<string, string> = {};
  if (options.body !== undefined) out['Content-Type'] = 'application/json';
  if (options.apiKey) out['Authorization'] = `Bearer ${options.apiKey}`;
  return out;
}

async function statusError(
  url: string,
  response: Response,
  keySent: boolean,
): Promise<EngineError> {
  const detail = serverMessage(await response.text().catch(() => ''));
  const { status } = response;
  if (status === 401 || status === 403) return serverErrors.unauthorized(status, keySent, detail);
  if (status === 404) {
    // vLLM and Ollama answer 404 for an unknown model; a plain 404 means a wrong address.
    if (/model/i.test(detail)) return serverErrors.modelNotFound(`The server says: ${detail}`);
    return serverErrors.notOpenAI(url, 'was not found (HTTP 404)');
  }
  if (status === 429) return serverErrors.busy();
  if (status >= 500) return serverErrors.failed(status, detail);
  return serverErrors.rejected(status, detail);
}

/**
 * A browser rejects a CORS-refused answer with the same TypeError as a dead server.
 * An opaque `no-cors` request to the same URL tells them apart: it resolves whenever
 * something answers. Outside a browser (no `location`) there is no CORS to blame.
 */
async function corsOrUnreachable(url: string): Promise<EngineError> {
  if (typeof location === 'undefined') return serverErrors.unreachable(url);
  try {
    await fetch(url, { mode: 'no-cors', signal: AbortSignal.timeout(5000) });
    return serverErrors.cors(url);
  } catch {
    return serverErrors.unreachable(url);
  }
}
