/**
 * What a completion server serves: the model list every OpenAI-compatible server has
 * (GET /v1/models), and, where llama.cpp's server offers it, the chat template and BOS
 * token it loaded (GET /props), which lets the app suggest the right Magpie template.
 */
import { z } from 'zod';
import type { ServerModelList } from '../../shared/worker-api';
import { fetchJson } from './http';
import { normaliseBaseUrl, serverRoot } from './url';

/** A black-holed host would otherwise hang the connect step for minutes. */
const LIST_TIMEOUT_MS = 15_000;
const PROPS_TIMEOUT_MS = 5_000;

const ModelList = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      // vLLM reports the context window here; other servers leave it out.
      max_model_len: z.number().int().positive().nullish().catch(undefined),
    }),
  ),
});

// Each field is optional on its own: llama.cpp's /props has changed shape across versions.
const Props = z.object({
  chat_template: z.string().nullish().catch(undefined),
  bos_token: z.string().nullish().catch(undefined),
  default_generation_settings: z
    .object({ n_ctx: z.number().int().positive().nullish() })
    .nullish()
    .catch(undefined),
});

export interface LookupOptions {
  apiKey?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ServedModel {
  id: string;
  contextWindow?: number;
}

export interface ServerProps {
  chatTemplate?: string;
  bosToken?: string;
  contextWindow?: number;
}

/** GET {base}/v1/models with the context window where the server tells it. Throws EngineError. */
export async function fetchServedModels(
  baseUrl: string,
  options: LookupOptions = {},
): Promise<ServedModel[]> {
  const list = await fetchJson(`${normaliseBaseUrl(baseUrl)}/models`, ModelList, {
    ...options,
    timeoutMs: options.timeoutMs ?? LIST_TIMEOUT_MS,
    wrongShape: 'not-openai',
  });
  return list.data.map((m) =>
    m.max_model_len ? { id: m.id, contextWindow: m.max_model_len } : { id: m.id },
  );
}

/** The models a server serves, for the connect form. Throws EngineError. */
export async function listServerModels(
  baseUrl: string,
  apiKey?: string,
  options: Omit<LookupOptions, 'apiKey'> = {},
): Promise<ServerModelList> {
  const base = normaliseBaseUrl(baseUrl);
  const models = await fetchServedModels(base, { ...options, apiKey });
  return { baseUrl: base, models: models.map((m) => m.id) };
}

/**
 * llama.cpp's GET /props (at the server root, not under /v1): the loaded chat template,
 * BOS token and context size. Best effort: undefined on any failure or when none is given.
 */
export async function readChatTemplate(
  baseUrl: string,
  options: LookupOptions = {},
): Promise<ServerProps | undefined> {
  try {
    const props = await fetchJson(`${serverRoot(baseUrl)}/props`, Props, {
      ...options,
      timeoutMs: options.timeoutMs ?? PROPS_TIMEOUT_MS,
    });
    const out: ServerProps = {};
    if (props.chat_template) out.chatTemplate = props.chat_template;
    if (props.bos_token) out.bosToken = props.bos_token;
    const nCtx = props.default_generation_settings?.n_ctx;
    if (nCtx) out.contextWindow = nCtx;
    return Object.keys(out).length > 0 ? out : undefined;
  } catch {
    return undefined;
  }
}
