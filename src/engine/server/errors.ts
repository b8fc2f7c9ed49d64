/**
 * The words a user sees when a completion server fails. One table, so every request
 * of the server engine explains the same failure the same way and says what to do.
 */
import { z } from 'zod';
import { EngineError } from '../../shared/engine';

const BASE_URL_HINT =
  'The base URL should point at the OpenAI-compatible API, usually ending in /v1 (e.g. http://127.0.0.1:8000/v1).';

export const serverErrors = {
  unreachable: (url: string) =>
    new EngineError(
      'unreachable',
      `Could not connect to ${origin(url)}.`,
      'Is the server running, and are the host and port right? A server that is still loading its model may not listen yet. (From an https:// page, browsers block plain http:// servers other than localhost.)',
      true,
    ),
  dropped: (url: string) =>
    new EngineError(
      'unreachable',
      `The connection to ${origin(url)} dropped while the server was answering.`,
      'The server may have crashed or restarted; check its log. The request can be retried.',
      true,
    ),
  cors: (url: string) =>
    new EngineError(
      'cors',
      `The server at ${origin(url)} is running, but it refused this page (CORS).`,
      `Allow this page's origin on the server: vLLM: start it with --allowed-origins '["*"]'; llama.cpp's server allows all origins by default (check any proxy in between); Ollama: set OLLAMA_ORIGINS=* before "ollama serve"; LM Studio: turn on "Enable CORS" in the server settings.`,
    ),
  timeout: (ms: number) =>
    new EngineError(
      'timeout',
      `The server did not answer within ${Math.round(ms / 1000)} s.`,
      'The server may be overloaded or still loading the model. Lower the concurrency or wait; the request can be retried.',
      true,
    ),
  aborted: () => new EngineError('aborted', 'The request was cancelled.', 'Nothing to fix.'),
  unauthorized: (status: number, keySent: boolean, detail: string) =>
    new EngineError(
      'unauthorized',
      `${keySent ? 'The server rejected the API key' : 'The server requires an API key'} (HTTP ${status}${detail ? `: ${detail}` : ''}).`,
      'Enter the key the server was started with (e.g. vLLM or llama.cpp --api-key).',
    ),
  notOpenAI: (url: string, what: string) =>
    new EngineError('not-openai', `${url} ${what}, not the OpenAI API.`, BASE_URL_HINT),
  modelNotFound: (message: string) =>
    new EngineError(
      'model-not-found',
      message,
      'Pick one of the models the server lists, or restart the server with the model you want.',
    ),
  busy: () =>
    new EngineError(
      'server-error',
      'The server is busy (HTTP 429: too many requests).',
      'Lower the concurrency; the request can be retried.',
      true,
    ),
  failed: (status: number, detail: string) =>
    new EngineError(
      'server-error',
      `The server failed (HTTP ${status})${detail ? `: ${detail}` : '.'}`,
      'Check the server log. A busy or loading server recovers by itself; out of memory or a crashed engine needs a restart.',
      true,
    ),
  streamFailed: (detail: string) =>
    new EngineError(
      'server-error',
      `The server failed while streaming: ${detail}`,
      'Check the server log; the request can be retried.',
      true,
    ),
  rejected: (status: number, detail: string) =>
    new EngineError(
      'server-error',
      `The server rejected the request (HTTP ${status})${detail ? `: ${detail}` : '.'}`,
      'Often the prompt plus max tokens exceeds the context window, or a setting is out of range. Lower max tokens or check the server log.',
    ),
  badResponse: (what: string) =>
    new EngineError(
      'bad-response',
      `The server sent ${what}.`,
      'Make sure the address is an OpenAI-compatible completion server; if it is, retrying may help.',
      true,
    ),
};

/** Errors in the forms servers use: vLLM `{"error":{"message"}}` or `{"message"}`, FastAPI `{"detail"}`. */
const ErrorBody = z.object({
  error: z.union([z.string(), z.object({ message: z.string() })]).optional(),
  message: z.string().optional(),
  detail: z.string().optional(),
});

/** A short, single-line account of what the server said in an error body. */
export function serverMessage(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return /^\s*</.test(body) ? 'an HTML page' : clip(body);
  }
  const known = ErrorBody.safeParse(parsed);
  if (known.success) {
    const { error, message, detail } = known.data;
    const text = typeof error === 'string' ? error : (error?.message ?? message ?? detail);
    if (text) return clip(text);
  }
  return clip(body);
}

function clip(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
