/**
 * The one seam between the generation pipeline and whatever runs the model.
 *
 * Engines live on the worker side (the pipeline's worker owns them). Everything the
 * pipeline needs from a model is a *raw* completion: Magpie feeds the model exact
 * template text, so an engine must never wrap the prompt in a chat template of its own.
 */
import type { PromptTemplate } from './template';

/** How the engine is reached. Serialisable: it crosses the worker boundary. */
export type EngineConfig = ServerEngineConfig | WebLLMEngineConfig | WllamaEngineConfig;

export interface ServerEngineConfig {
  kind: 'server';
  /** e.g. http://127.0.0.1:8000 or http://127.0.0.1:8000/v1; normalised by the engine. */
  baseUrl: string;
  apiKey?: string;
  /** Model id as reported by GET /v1/models. */
  model: string;
  /**
   * Connections: HTTP requests kept in flight at once. Chromium opens at most
   * BROWSER_CONNECTIONS_PER_HOST to one HTTP/1.1 server; more wait in the browser.
   */
  concurrency: number;
  /**
   * Samples per request when the server takes `n` or prompt arrays (batch size); absent
   * means DEFAULT_BATCH_SIZE. Lanes = connections x batch size.
   */
  batchSize?: number;
}

/** Chromium's limit of HTTP/1.1 connections to one host (vLLM, llama.cpp, Ollama serve HTTP/1.1). */
export const BROWSER_CONNECTIONS_PER_HOST = 6;
export const DEFAULT_CONNECTIONS = 6;
export const DEFAULT_BATCH_SIZE = 32;

/** What a completion server accepts in one request, found by a small probe request each. */
export interface ServerBatching {
  /** Several samples of one prompt (`n`). */
  n: boolean;
  /** Several prompts (`prompt` as an array). */
  promptArrays: boolean;
}

export interface WebLLMEngineConfig {
  kind: 'webllm';
  model: string;
}

/** A GGUF model run by llama.cpp compiled to WebAssembly (wllama), in this tab. */
export interface WllamaEngineConfig {
  kind: 'wllama';
  /** The model id runs are made with: the file name (first split) or the URL's. */
  model: string;
  /** A model on this disk: the file or all its splits. Left out when a run is stored. */
  files?: File[];
  /** A model to download (cached in the browser) when there are no files. */
  url?: string;
  /** CPU threads (more than 1 needs a cross-origin isolated page). */
  threads: number;
  /** Layers offloaded to WebGPU; 0 runs everything on the CPU. */
  gpuLayers: number;
}

export type FinishReason = 'stop' | 'length' | 'abort';

export interface CompletionRequest {
  prompt: string;
  maxTokens: number;
  temperature: number;
  topP: number;
  repetitionPenalty?: number;
  seed?: number;
  stop: string[];
  /**
   * A rule for the first sampled token only. Sent only to an engine whose model description
   * says it can apply one (`firstTokenControl`); others would ignore it.
   */
  firstToken?: FirstTokenRule;
}

/**
 * 'ban-headings': markdown headings (#, ##, ###, ####) cannot be the first token (the Magpie
 * authors' Llama-3.1 rule). 'flaming': the first token's logits are divided by 1.2, a hotter
 * first token ("flaming tokens").
 */
export type FirstTokenRule = 'ban-headings' | 'flaming';

export interface CompletionUsage {
  promptTokens?: number;
  completionTokens?: number;
  /** Wall time of the request as the engine saw it. */
  latencyMs: number;
  /**
   * Samples the request carried when it carried several: its latency is shared, and its
   * token counts are the request's, split by the length of each sample's text.
   */
  batch?: number;
  timeToFirstTokenMs?: number;
  prefillTokensPerS?: number;
  decodeTokensPerS?: number;
}

export interface CompletionResult {
  text: string;
  finishReason: FinishReason;
  usage: CompletionUsage;
  /**
   * The seed the server applied to this sample when it is not the request's own: a batch
   * of prompts shares one seed (see engine/server/batch-plan.ts).
   */
  seed?: number;
}

/** A chat turn, for engines asked to judge (not for generation: that is raw text). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  /** A JSON schema the answer must follow, enforced by the engine's JSON mode where it has one. */
  jsonSchema?: Record<string, unknown>;
}

export interface CompletionCallOptions {
  signal?: AbortSignal;
  /** When given, the engine streams and calls this with each new piece of text. */
  onDelta?: (delta: string) => void;
}

/** What an engine tells the UI about the model it serves. */
export interface ModelDescription {
  /** Model id as the engine knows it (the server's id, WebLLM's model_id). */
  id: string;
  engine: EngineConfig['kind'];
  /** Samples the engine can usefully have in flight (the pipeline's lanes). */
  concurrency: number;
  /** HTTP requests kept in flight at once (servers); unbatched work such as the judge uses this. */
  connections?: number;
  /**
   * The engine runs one sequence at a time and reuses the last one's cache (llama.cpp with one
   * slot): the pipeline asks in sample order, as one lane would, with a sample's first request
   * queued behind the one before's last so the model never waits for the thread between them.
   */
  inSampleOrder?: boolean;
  /** What the server accepts in one request (servers). */
  batching?: ServerBatching & { batchSize: number };
  /** Whether completions can stream token by token. */
  streams: boolean;
  /** Context window when the engine reports it. */
  contextWindow?: number;
  /** Whether the engine applies CompletionRequest.firstToken (WebLLM's logit processor). */
  firstTokenControl?: boolean;
  /** A Jinja chat template when the engine can read one (e.g. llama.cpp's /props). */
  chatTemplate?: string;
  bosToken?: string;
  /** CPU threads llama.cpp runs on (GGUF engine). */
  threads?: number;
  /** Whether llama.cpp offloads layers to WebGPU (GGUF engine). */
  webgpu?: boolean;
  /**
   * The Magpie template cut from `chatTemplate`, derived in the worker (the Jinja library stays
   * out of the page); `chatTemplateError` says why it could not be.
   */
  derivedTemplate?: PromptTemplate;
  chatTemplateError?: string;
}

export interface Engine {
  readonly kind: EngineConfig['kind'];
  /** Load or check the model; resolves with what it serves. */
  load(signal?: AbortSignal): Promise<ModelDescription>;
  complete(request: CompletionRequest, options?: CompletionCallOptions): Promise<CompletionResult>;
  /**
   * A chat completion (the model's own chat template, applied by the engine), for the
   * judge. Optional: an engine without it cannot tag records.
   */
  chat?(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<CompletionResult>;
  /** Requests on the wire and samples finished so far, for the live view. */
  activity?(): EngineActivity;
  /** Free what the engine holds (GPU memory, sockets). */
  dispose(): Promise<void>;
}

export interface EngineActivity {
  /** HTTP requests sent and not yet answered. */
  requestsInFlight: number;
  /** Samples asked for and not yet sent (waiting for a free connection). */
  samplesWaiting: number;
  /** Samples answered since the engine was made. */
  samplesDone: number;
}

/**
 * Errors an engine raises, already in words a user can act on. `retryable` tells
 * the pipeline whether trying the same request again may help (a 503, a dropped
 * connection) or whether the run must stop (a bad key, a lost GPU).
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  /** The raw text behind the message (an exception's own words), shown under "Details". */
  details?: string;
  /** What the user may continue with instead (the same model on the CPU after a lost GPU). */
  fallback?: EngineFallback;
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly hint: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

export type EngineErrorCode =
  | 'unreachable'
  | 'cors'
  | 'unauthorized'
  | 'forbidden'
  | 'name-taken'
  | 'not-openai'
  | 'model-not-found'
  | 'server-error'
  | 'bad-response'
  | 'timeout'
  | 'aborted'
  | 'webgpu-unavailable'
  | 'device-lost'
  | 'out-of-memory'
  | 'download-failed'
  | 'storage-full'
  | 'invalid-file'
  | 'unsupported-model'
  | 'too-large'
  | 'unknown';

/** The plain shape of an EngineError, for crossing the worker boundary. */
export interface EngineErrorInfo {
  code: EngineErrorCode;
  message: string;
  hint: string;
  details?: string;
  fallback?: EngineFallback;
}

/**
 * An offer a failed run's error carries: connect the same model again with `changes` to its
 * config (the page holds the config, files included: a stored run never keeps a model file),
 * then resume the run. `action` names it for a button, with what it will use.
 */
export interface EngineFallback {
  action: string;
  changes: Pick<WllamaEngineConfig, 'gpuLayers' | 'threads'>;
}

export function toErrorInfo(err: unknown): EngineErrorInfo {
  if (err instanceof EngineError) {
    const info: EngineErrorInfo = { code: err.code, message: err.message, hint: err.hint };
    if (err.details) info.details = err.details;
    if (err.fallback) info.fallback = err.fallback;
    return info;
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'unknown', message, hint: 'Check the browser console for details.' };
}
