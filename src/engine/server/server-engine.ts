/**
 * The Engine for OpenAI-compatible completion servers (vLLM, llama.cpp server, Ollama,
 * LM Studio). It sends Magpie's exact prompt text to POST /v1/completions, never the
 * chat endpoint. Lanes ask for one sample each; the batcher coalesces them into requests
 * of several samples (`n`, prompt arrays) where the server accepts them (probed once at
 * load), with at most `concurrency` requests (connections) on the wire. Runs inside the
 * pipeline's web worker.
 */
import type {
  ChatRequest,
  CompletionCallOptions,
  CompletionRequest,
  CompletionResult,
  Engine,
  EngineActivity,
  ModelDescription,
  ServerBatching,
  ServerEngineConfig,
} from '../../shared/engine';
import { DEFAULT_BATCH_SIZE, EngineError } from '../../shared/engine';
import { NO_BATCHING, type PlannedRequest } from './batch-plan';
import { Batcher, type Sample } from './batcher';
import {
  CompletionResponse,
  batchBody,
  completionBody,
  createStreamReader,
  splitChoices,
  usageOf,
} from './completion';
import { ChatResponse, chatBody, refusesJsonMode } from './chat';
import { finishReason } from '../completion-wire';
import { serverErrors } from './errors';
import { fetchJson, fetchStream, type HttpOptions } from './http';
import { fetchServedModels, readChatTemplate } from './models';
import { probeBatching } from './probe';
import { createSseParser } from './sse';
import { normaliseBaseUrl } from './url';

export interface ServerEngineOptions {
  /**
   * Longest wait for one completion before it fails as 'timeout' (retryable).
   * Default 10 minutes: queued requests on a busy server legitimately take long.
   */
  requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10 * 60_000;

export class ServerEngine implements Engine {
  readonly kind = 'server' as const;
  private readonly inFlight = new Set<AbortController>();
  private disposed = false;
  /** Cleared once the server refuses `response_format`; the judge's parser still checks. */
  private jsonMode = true;
  /** Made at load, with what the server accepts; one prompt per request until then. */
  private batcher?: Batcher;

  constructor(
    private readonly config: ServerEngineConfig,
    private readonly options: ServerEngineOptions = {},
  ) {}

  /** Checks the server serves the configured model and reads what it tells about it. */
  load(signal?: AbortSignal): Promise<ModelDescription> {
    return this.track(signal, async (signal) => {
      const base = normaliseBaseUrl(this.config.baseUrl);
      const lookup = { apiKey: this.config.apiKey, signal };
      const served = await fetchServedModels(base, lookup);
      const model = served.find((m) => m.id === this.config.model);
      if (!model) {
        throw serverErrors.modelNotFound(
          served.length === 0
            ? `The server does not serve "${this.config.model}"; it lists no models at all.`
            : `The server does not serve "${this.config.model}". It serves: ${served.map((m) => m.id).join(', ')}.`,
        );
      }
      const batchSize = Math.max(1, this.config.batchSize ?? DEFAULT_BATCH_SIZE);
      const [props, caps] = await Promise.all([
        readChatTemplate(base, lookup),
        batchSize > 1 ? probeBatching(base, this.config.model, lookup) : NO_BATCHING,
      ]);
      if (signal.aborted) throw serverErrors.aborted();
      this.batcher = this.makeBatcher(caps, batchSize);
      const connections = Math.max(1, this.config.concurrency);
      const batches = caps.n || caps.promptArrays;
      const description: ModelDescription = {
        id: model.id,
        engine: 'server',
        concurrency: batches ? connections * batchSize : connections,
        connections,
        batching: { ...caps, batchSize: batches ? batchSize : 1 },
        streams: true,
      };
      const contextWindow = model.contextWindow ?? props?.contextWindow;
      if (contextWindow) description.contextWindow = contextWindow;
      if (props?.chatTemplate) description.chatTemplate = props.chatTemplate;
      if (props?.bosToken) description.bosToken = props.bosToken;
      return description;
    });
  }

  /** One raw completion; streams (and calls onDelta) when onDelta is given. */
  complete(
    request: CompletionRequest,
    options: CompletionCallOptions = {},
  ): Promise<CompletionResult> {
    this.batcher ??= this.makeBatcher(NO_BATCHING, 1);
    const batcher = this.batcher;
    return this.track(options.signal, (signal) =>
      batcher.submit(request, { signal, onDelta: options.onDelta }),
    );
  }

  activity(): EngineActivity {
    return this.batcher?.activity() ?? { requestsInFlight: 0, samplesWaiting: 0, samplesDone: 0 };
  }

  private makeBatcher(caps: ServerBatching, batchSize: number): Batcher {
    return new Batcher({
      caps,
      batchSize,
      connections: Math.max(1, this.config.concurrency),
      send: (planned, signal) => this.send(planned, signal),
    });
  }

  /** One request on the wire: a lone sample as before (streamed when followed live), or a batch. */
  private async send(planned: PlannedRequest<Sample>, signal: AbortSignal) {
    const [only] = planned.members;
    if (only && planned.members.length === 1) {
      const request = { ...only.request, seed: planned.seed };
      return [
        only.onDelta
          ? await this.streamed(request, only.onDelta, signal)
          : await this.whole(request, signal),
      ];
    }
    const start = performance.now();
    const answer = await fetchJson(this.url(), CompletionResponse, {
      ...this.post(planned.members[0]!.request, false, signal),
      body: batchBody(this.config.model, planned),
    });
    return splitChoices(answer, planned, start, performance.now());
  }

  /** A chat completion for the judge (POST /v1/chat/completions, never streamed). */
  chat(request: ChatRequest, options: { signal?: AbortSignal } = {}): Promise<CompletionResult> {
    return this.track(options.signal, async (signal) => {
      // Whether *this* request carries response_format: with several in flight, refusals
      // of requests sent before the first refusal arrive after jsonMode is already off.
      const json = this.jsonMode && request.jsonSchema !== undefined;
      try {
        return await this.chatOnce(request, json, signal);
      } catch (err) {
        if (!(json && err instanceof EngineError && refusesJsonMode(err.message))) throw err;
        this.jsonMode = false;
        return this.chatOnce(request, false, signal);
      }
    });
  }

  private async chatOnce(
    request: ChatRequest,
    json: boolean,
    signal: AbortSignal,
  ): Promise<CompletionResult> {
    const start = performance.now();
    const answer = await fetchJson(
      `${normaliseBaseUrl(this.config.baseUrl)}/chat/completions`,
      ChatResponse,
      {
        method: 'POST',
        body: chatBody(this.config.model, request, json),
        apiKey: this.config.apiKey,
        signal,
        timeoutMs: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      },
    );
    const [choice] = answer.choices;
    return {
      text: choice.message?.content ?? '',
      finishReason: finishReason(choice.finish_reason),
      usage: usageOf(start, performance.now(), answer.usage, answer.timings),
    };
  }

  /** Aborts every request in flight; later calls fail as 'aborted'. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private async whole(request: CompletionRequest, signal: AbortSignal): Promise<CompletionResult> {
    const start = performance.now();
    const answer = await fetchJson(
      this.url(),
      CompletionResponse,
      this.post(request, false, signal),
    );
    const [choice] = answer.choices;
    return {
      text: choice.text ?? '',
      finishReason: finishReason(choice.finish_reason),
      usage: usageOf(start, performance.now(), answer.usage, answer.timings),
    };
  }

  private async streamed(
    request: CompletionRequest,
    onDelta: (delta: string) => void,
    signal: AbortSignal,
  ): Promise<CompletionResult> {
    const start = performance.now();
    const reader = createStreamReader(onDelta, () => performance.now());
    const parser = createSseParser(reader.data);
    await fetchStream(this.url(), this.post(request, true, signal), parser.push);
    parser.end();
    const { state } = reader;
    if (!state.done && state.finish === undefined) {
      throw serverErrors.badResponse(
        state.pieces === 0 ? 'no completion events in its stream' : 'a stream that ended early',
      );
    }
    // Servers that ignore stream_options send no usage: count the chunks instead.
    const usage = state.usage ?? { completion_tokens: state.pieces };
    return {
      text: state.text,
      finishReason: state.finish ?? 'stop',
      usage: usageOf(start, performance.now(), usage, state.timings, state.firstTokenAt),
    };
  }

  private url(): string {
    return `${normaliseBaseUrl(this.config.baseUrl)}/completions`;
  }

  private post(request: CompletionRequest, stream: boolean, signal: AbortSignal): HttpOptions {
    return {
      method: 'POST',
      body: completionBody(this.config.model, request, stream),
      apiKey: this.config.apiKey,
      signal,
      timeoutMs: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    };
  }

  /** Runs `work` under a signal that the caller's signal and dispose() both abort. */
  private async track<T>(
    signal: AbortSignal | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (this.disposed) {
      throw new EngineError('aborted', 'The engine was closed.', 'Connect to the server again.');
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    this.inFlight.add(controller);
    try {
      return await work(controller.signal);
    } finally {
      this.inFlight.delete(controller);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
