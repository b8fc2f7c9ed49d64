/**
 * The in-browser engine: a WebLLM `MLCEngine` owned directly by the pipeline worker (no
 * WebWorkerMLCEngine hop), so there is one worker to restart when the GPU is lost.
 *
 * Magpie needs raw completion, so this only calls `engine.completions.create({ prompt })`:
 * WebLLM adds no template and no BOS there, and the prompt goes through unchanged.
 * `max_tokens`, `temperature` and `top_p` are always sent (WebLLM's defaults are
 * unbounded / the model's own). WebLLM serves one request at a time and its interrupt flag
 * is engine-wide, so requests are queued here and `interruptGenerate()` only ever hits
 * the caller's own request. An aborted request always ends in EngineError 'aborted'.
 */
import {
  MLCEngine,
  prebuiltAppConfig,
  type AppConfig,
  type CompletionCreateParamsBase,
} from '@mlc-ai/web-llm';
import type {
  ChatRequest,
  CompletionCallOptions,
  CompletionRequest,
  CompletionResult,
  Engine,
  ModelDescription,
} from '../../shared/engine';
import { EngineError } from '../../shared/engine';
import { Slots } from '../../shared/slots';
import type { LoadProgress } from '../../shared/load-progress';
import { abortedError, explainDownload, toEngineError } from './errors';
import { createLoadProgressTracker } from './load-progress';
import { readChatCompletion, webllmChatRequest } from './chat-request';
import { readCompletion, readStream, webllmRequest, type Draft } from './request';
import { FirstTokenProcessor, headingTokenIds, type TokenEncoder } from './first-token';

export interface WebLLMEngineOptions {
  /** WebLLM model_id, e.g. "Qwen2.5-1.5B-Instruct-q4f16_1-MLC". */
  model: string;
  /** Defaults to WebLLM's prebuilt list; pass the same one to the cache helpers. */
  appConfig?: AppConfig;
  onProgress?: (p: LoadProgress) => void;
}

export class WebLLMEngine implements Engine {
  readonly kind = 'webllm' as const;
  private engine: MLCEngine | undefined;
  private readonly queue = new Slots(1);
  private readonly firstToken = new FirstTokenProcessor();

  constructor(private readonly options: WebLLMEngineOptions) {}

  async load(signal?: AbortSignal): Promise<ModelDescription> {
    if (signal?.aborted) throw abortedError('Loading');
    await this.dispose();
    const { model, appConfig, onProgress } = this.options;
    const track = createLoadProgressTracker();
    const engine = new MLCEngine({
      appConfig,
      initProgressCallback: onProgress && ((report) => onProgress(track(report))),
      // Registered for every load: WebLLM reads the registry only when it loads a model. It
      // makes every token's logits pass through the CPU, the price of a first-token rule.
      logitProcessorRegistry: new Map([[model, this.firstToken]]),
    });
    this.engine = engine;
    const cancel = () => void engine.unload().catch(() => undefined);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      await engine.reload(model);
    } catch (err) {
      await this.dispose();
      if (signal?.aborted) throw abortedError('Loading');
      const error = toEngineError(err);
      const config = this.configUrl();
      throw config ? await explainDownload(error, config) : error;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
    // reload() resolves quietly when unload() cut its downloads short.
    if (signal?.aborted) {
      await this.dispose();
      throw abortedError('Loading');
    }
    const tokenizer = this.tokenizer();
    this.firstToken.headingIds = tokenizer ? headingTokenIds(tokenizer) : [];
    return {
      id: model,
      engine: 'webllm',
      concurrency: 1,
      streams: true,
      contextWindow: this.contextWindow(),
      firstTokenControl: tokenizer !== undefined,
    };
  }

  complete(
    request: CompletionRequest,
    options: CompletionCallOptions = {},
  ): Promise<CompletionResult> {
    return this.queue.use(() => this.run(request, options));
  }

  /** The judge's chat completion; queued with generation (one request at a time). */
  chat(request: ChatRequest, options: { signal?: AbortSignal } = {}): Promise<CompletionResult> {
    return this.queue.use(() =>
      this.guarded(options.signal, async (engine) =>
        readChatCompletion(await engine.chat.completions.create(webllmChatRequest(request))),
      ),
    );
  }

  async dispose(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    await engine?.unload().catch(() => undefined);
  }

  private async run(req: CompletionRequest, { signal, onDelta }: CompletionCallOptions) {
    if (req.firstToken) this.firstToken.arm(req.firstToken);
    try {
      return await this.guarded(signal, (engine) =>
        onDelta
          ? this.stream(engine, webllmRequest(req), onDelta, signal)
          : this.once(engine, webllmRequest(req)),
      );
    } finally {
      this.firstToken.disarm();
    }
  }

  /** WebLLM keeps the loaded model's tokenizer on a private pipeline; undefined if it moved. */
  private tokenizer(): TokenEncoder | undefined {
    const pipelines = (
      this.engine as unknown as {
        loadedModelIdToPipeline?: Map<string, { tokenizer?: Partial<TokenEncoder> }>;
      }
    )?.loadedModelIdToPipeline;
    const tokenizer = pipelines?.get(this.options.model)?.tokenizer;
    return typeof tokenizer?.encode === 'function' ? (tokenizer as TokenEncoder) : undefined;
  }

  /** One request on the loaded engine, interrupted by `signal`, errors in plain words. */
  private async guarded(
    signal: AbortSignal | undefined,
    call: (engine: MLCEngine) => Promise<Draft>,
  ): Promise<CompletionResult> {
    const engine = this.engine;
    if (!engine) {
      throw new EngineError('unknown', 'No browser model is loaded.', 'Load a model first.');
    }
    if (signal?.aborted) throw abortedError();
    const interrupt = () => void engine.interruptGenerate();
    signal?.addEventListener('abort', interrupt, { once: true });
    const started = performance.now();
    try {
      const result = await call(engine);
      if (signal?.aborted) throw abortedError();
      const latencyMs = result.usage.latencyMs ?? performance.now() - started;
      return { ...result, usage: { ...result.usage, latencyMs } };
    } catch (err) {
      throw signal?.aborted ? abortedError() : toEngineError(err);
    } finally {
      signal?.removeEventListener('abort', interrupt);
    }
  }

  private async once(engine: MLCEngine, body: CompletionCreateParamsBase): Promise<Draft> {
    return readCompletion(await engine.completions.create({ ...body, stream: false }));
  }

  private async stream(
    engine: MLCEngine,
    body: CompletionCreateParamsBase,
    onDelta: (delta: string) => void,
    signal: AbortSignal | undefined,
  ): Promise<Draft> {
    const chunks = await engine.completions.create({
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    });
    const draft = await readStream(chunks, onDelta, signal);
    // Deltas can carry the start of a multi-token stop string that WebLLM cut only after
    // sending it; the pipeline's final message is the text with the stop removed.
    const final = await engine.getMessage().catch(() => draft.text);
    return draft.text.startsWith(final) ? { ...draft, text: final } : draft;
  }

  /** The model's mlc-chat-config.json, where WebLLM looks for it (its cleanModelUrl). */
  private configUrl(): string | undefined {
    const list = (this.options.appConfig ?? prebuiltAppConfig).model_list;
    const record = list.find((m) => m.model_id === this.options.model);
    if (!record) return undefined;
    let base = record.model.endsWith('/') ? record.model : `${record.model}/`;
    if (!/.+\/resolve\/.+\//.test(base)) base += 'resolve/main/';
    try {
      return new URL('mlc-chat-config.json', base).href;
    } catch {
      return undefined;
    }
  }

  private contextWindow(): number | undefined {
    const list = (this.options.appConfig ?? prebuiltAppConfig).model_list;
    const record = list.find((m) => m.model_id === this.options.model);
    const fromRecord = record?.overrides?.context_window_size;
    // MLCEngine keeps the loaded mlc-chat-config in a private map; read it when present.
    const loaded = (
      this.engine as unknown as {
        loadedModelIdToChatConfig?: Map<string, { context_window_size?: number }>;
      }
    )?.loadedModelIdToChatConfig?.get(this.options.model)?.context_window_size;
    const size = loaded ?? fromRecord;
    return size !== undefined && size > 0 ? size : undefined;
  }
}
