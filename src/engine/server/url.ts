/**
 * Users paste server addresses in many forms (with or without /v1, a trailing slash,
 * sometimes a whole endpoint). Every request of the server engine starts from one
 * normalised base, `<origin>[/<path>]/v1`, so the forms all reach the same endpoints.
 */
import { EngineError } from '../../shared/engine';

const ENDPOINT_SUFFIX = /\/(models|completions|chat\/completions)$/;

/**
 * `http://host:8000`, `http://host:8000/`, `http://host:8000/v1`, `.../v1/` and
 * `.../v1/models` all become `http://host:8000/v1`. A bare `host:8000` is taken as http.
 * Anything that is not http(s) is refused with an EngineError ('not-openai').
 */
export function normaliseBaseUrl(input: string): string {
  let text = input.trim();
  if (text === '') throw badUrl(input, 'The server address is empty.');
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(text)) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl(input, `"${input.trim()}" is not a valid address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badUrl(
      input,
      `"${input.trim()}" uses ${url.protocol.slice(0, -1)}://; a completion server is reached over http:// or https://.`,
    );
  }
  if (url.username || url.password) {
    throw badUrl(
      input,
      'The address contains a user name or password, which browsers refuse to send.',
      'Remove "user:password@" from the address and put the key in the API key field.',
    );
  }
  let path = url.pathname.replace(/\/+$/, '');
  if (/\/v1\//.test(`${path}/`)) path = path.replace(ENDPOINT_SUFFIX, '');
  if (!path.endsWith('/v1')) path = `${path}/v1`;
  return `${url.origin}${path}`;
}

/** The server root of a (normalised or raw) base URL: llama.cpp serves /props there. */
export function serverRoot(baseUrl: string): string {
  return normaliseBaseUrl(baseUrl).replace(/\/v1$/, '');
}

function badUrl(input: string, message: string, hint?: string): EngineError {
  return new EngineError(
    'not-openai',
    message,
    hint ??
      `Use the address of the server's OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1 (you gave "${input.trim()}").`,
  );
}
