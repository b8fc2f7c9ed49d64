/**
 * The GGUF engine: llama.cpp compiled to WebAssembly (wllama), owned by the pipeline worker.
 * wllama starts its own worker (and, on a cross-origin isolated page, one per thread), so
 * inference never runs on the pipeline worker's thread.
 *
 * Magpie needs raw completion: only `createCompletion({ prompt })` is called. llama.cpp
 * tokenizes the prompt with the file's own rules, BOS included when the file says so
 * (tokenizer.ggml.add_bos_token), so templates never write BOS for this engine. The seed is
 * per request (a seed given at load would override every request's). llama.cpp has one slot:
 * one sequence at a time, which is what a CPU or one browser GPU does best. It generates only
 * while a `get_result` of ours waits in its worker, so the engine hands it the next request
 * before the running one ends (IN_FLIGHT) and the pipeline asks in sample order
 * (`inSampleOrder`): the order one lane would ask in, which keeps the prompt cache's reuse
 * of a sample's instruction for its response.
 */
import type { Wllama as WllamaClass } from '@wllama/wllama';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import type {
  ChatRequest,
  CompletionCallOptions,
  CompletionRequest,
  CompletionResult,
  Engine,
  EngineFallback,
  ModelDescription,
  WllamaEngineConfig,
} from '../../shared/engine';
import { EngineError } from '../../shared/engine';
import { Slots } from '../../shared/slots';
import type { LoadProgress } from '../../shared/load-progress';
import { abortedError, toEngineError } from './errors';
import { inspectGguf, orderSplits } from './inspect';
import {
  readChatCompletion,
  readCompletion,
  StreamReader,
  wllamaChatRequest,
  wllamaRequest,
} from './request';

/** Context llama.cpp allocates: prompt plus both steps' answers; more costs KV memory. */
const MAX_CONTEXT = 4096;
/**
 * Requests handed to wllama at once. llama.cpp's one slot (n_parallel 1) runs them one after
 * the other, deferring the second; but its worker generates only inside our polls, so a second
 * request already polled there starts the moment the first ends, instead of when this thread,
 * busy with the first one's pair, gets round to asking.
 */
const IN_FLIGHT = 2;
/** llama.cpp log lines kept to explain a failure (its errors carry little text). */
const LOG_LINES = 40;

export interface WllamaEngineOptions {
  config: WllamaEngineConfig;
  onProgress?: (p: LoadProgress) => void;
  /** The wllama module (a seam for unit tests); imported on first load otherwise. */
  module?: { Wllama: typeof WllamaClass };
}

/** wllama logs llama-server's error replies as objects; String() would make them "[object Object]". */
function logLine(args: unknown[]): string {
  return args
    .map((a) => {
      if (typeof a !== 'object' || a === null || a instanceof Error) return String(a);
      try {
        return JSON.stringify(a);
      } catch {
        return String(a);
      }
    })
    .join(' ');
}

function progress(
  part: Partial<LoadProgress> & Pick<LoadProgress, 'phase' | 'text'>,
): LoadProgress {
  return { fetch: 1, cache: 0, shaders: 1, elapsedS: 0, ...part };
}

/**
 * After a lost GPU: the same GGUF without GPU offload, on the threads asked for. A WebGPU
 * context that was lost cannot come back in llama.cpp's worker, but a fresh load on the CPU
 * can go on where the run stopped. Nothing is offered when the model already ran on the CPU
 * alone, or when there is nothing to load it from again.
 */
export function cpuFallback(config: WllamaEngineConfig): EngineFallback | undefined {
  if (config.gpuLayers <= 0 || (!config.files?.length && !config.url)) return undefined;
  const threads = Math.max(1, config.threads);
  return {
    action: `Continue on the CPU (${threads} thread${threads === 1 ? '' : 's'})`,
    changes: { gpuLayers: 0, threads },
  };
}

/** The little of WebGPU the GPU watch needs (`@webgpu/types` is not a dependency). */
interface WatchDevice {
  lost: Promise<{ reason?: string; message: string }>;
  destroy(): void;
}
interface WatchGpu {
  requestAdapter(): Promise<{ requestDevice(): Promise<WatchDevice> } | null>;
}

/**
 * A WebGPU device of the engine's own on the GPU llama.cpp offloads to, resolving `lost`
 * when that GPU goes (the browser's GPU process ended, a driver reset): every device of the
 * page is lost then. Undefined where WebGPU or an adapter is missing.
 */
async function watchGpu(): Promise<WatchDevice | undefined> {
  const gpu = (globalThis.navigator as { gpu?: WatchGpu } | undefined)?.gpu;
  try {
    return (await (await gpu?.requestAdapter())?.requestDevice()) ?? undefined;
  } catch {
    return undefined;
  }
}

export class WllamaEngine implements Engine {
  readonly kind = 'wllama' as const;
  private wllama: WllamaClass | undefined;
  private readonly queue = new Slots(IN_FLIGHT);
  private readonly log: string[] = [];
  /** Set when llama.cpp's WebGPU backend found no adapter (it then runs on the CPU). */
  private noAdapter = false;
  /**
   * Set when the GPU was lost under llama.cpp: its WebGPU context cannot come back, so every
   * later request fails at once with the same explanation instead of reaching a dead worker.
   */
  private lost: EngineError | undefined;
  /**
   * llama.cpp's WebGPU backend does not return from a request whose GPU was lost (the
   * request waited for good when the test's GPU process was ended), so the engine watches a
   * device of its own while the model is offloaded and fails the request in flight itself.
   */
  private watch: WatchDevice | undefined;
  private readonly inFlight = new Set<(err: EngineError) => void>();

  constructor(private readonly options: WllamaEngineOptions) {}

  private keep = (...args: unknown[]) => {
    this.log.push(logLine(args));
    if (this.log.length > LOG_LINES) this.log.shift();
  };

  async load(signal?: AbortSignal): Promise<ModelDescription> {
    if (signal?.aborted) throw abortedError('Loading');
    await this.dispose();
    this.lost = undefined;
    const { config, onProgress } = this.options;
    const { Wllama } = this.options.module ?? (await import('@wllama/wllama'));
    const wllama = new Wllama(
      { default: wasmUrl },
      {
        logger: {
          debug: () => undefined,
          log: (...args: unknown[]) => {
            if (/ggml_webgpu: Failed to get an adapter/.test(logLine(args))) {
              this.noAdapter = true;
            }
          },
          warn: this.keep,
          error: this.keep,
        },
        allowOffline: true,
      },
    );
    // wllama's compat mode fetches a build from a CDN; this app serves its own wasm only.
    wllama.setCompat(null);
    this.wllama = wllama;
    const started = performance.now();
    const elapsedS = () => (performance.now() - started) / 1000;
    const cancel = () => void wllama.exit().catch(() => undefined);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const files = config.files?.length ? orderSplits(config.files) : undefined;
      let chatTemplate: string | undefined;
      let bosToken: string | undefined;
      if (files) {
        // Read before loading: a file that is not a GGUF gets a plain message, not a crash.
        const info = await inspectGguf(files);
        ({ chatTemplate, bosToken } = info);
      }
      const params = {
        n_threads: Math.max(1, config.threads),
        n_gpu_layers: config.gpuLayers,
        n_ctx: MAX_CONTEXT,
        n_parallel: 1,
      };
      onProgress?.(progress({ phase: 'cache', text: 'Loading the model into llama.cpp' }));
      if (files) {
        await wllama.loadModel(files, params);
      } else if (config.url) {
        onProgress?.(progress({ phase: 'fetch', fetch: 0, text: 'Downloading' }));
        await wllama.loadModelFromUrl(config.url, {
          ...params,
          signal,
          progressCallback: ({ loaded, total }) => {
            const fetch = total > 0 ? Math.min(1, loaded / total) : 0;
            onProgress?.(
              progress({
                phase: fetch < 1 ? 'fetch' : 'cache',
                fetch,
                fetchedMB: loaded / 2 ** 20,
                totalMB: total / 2 ** 20,
                elapsedS: elapsedS(),
                text: fetch < 1 ? 'Downloading' : 'Loading the model into llama.cpp',
              }),
            );
          },
        });
      } else {
        throw new EngineError(
          'invalid-file',
          'No GGUF file or URL was given.',
          'Choose a .gguf file.',
        );
      }
      if (signal?.aborted) throw abortedError('Loading');
      // A failed load resolves: llama.cpp says why only in its log.
      const ctx = wllama.getLoadedContextInfo() as ReturnType<
        WllamaClass['getLoadedContextInfo']
      > & {
        success?: boolean;
      };
      if (ctx.success === false || !ctx.n_vocab) {
        throw toEngineError(new Error('llama.cpp could not load the model'), this.log);
      }
      chatTemplate ??= wllama.getChatTemplate() ?? undefined;
      onProgress?.(
        progress({
          phase: 'done',
          cache: 1,
          elapsedS: elapsedS(),
          text: `Loaded on ${this.where()}`,
        }),
      );
      const description: ModelDescription = {
        id: config.model,
        engine: 'wllama',
        concurrency: IN_FLIGHT,
        inSampleOrder: true,
        streams: true,
        contextWindow: ctx.n_ctx,
        threads: wllama.getNumThreads(),
        webgpu: this.onGpu(),
      };
      if (description.webgpu) await this.watchFor(wllama);
      if (chatTemplate) description.chatTemplate = chatTemplate;
      if (bosToken) description.bosToken = bosToken;
      return description;
    } catch (err) {
      const aborted = signal?.aborted;
      await this.dispose();
      throw aborted ? abortedError('Loading') : toEngineError(err, this.log);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  complete(
    request: CompletionRequest,
    options: CompletionCallOptions = {},
  ): Promise<CompletionResult> {
    return this.queue.use(() => this.run(request, options));
  }

  /**
   * The judge's chat completion: llama.cpp applies the file's own chat template, and a JSON
   * schema becomes a grammar (llama-server's structured output). Queued with generation.
   */
  chat(request: ChatRequest, options: { signal?: AbortSignal } = {}): Promise<CompletionResult> {
    return this.queue.use(() => this.runChat(request, options.signal));
  }

  async dispose(): Promise<void> {
    const wllama = this.wllama;
    this.wllama = undefined;
    this.watch?.destroy();
    this.watch = undefined;
    await wllama?.exit().catch(() => undefined);
  }

  private async watchFor(wllama: WllamaClass): Promise<void> {
    const watch = await watchGpu();
    if (!watch) return;
    this.watch = watch;
    void watch.lost.then((info) => {
      // 'destroyed' is this engine letting go of it; anything else is the GPU gone.
      if (info.reason === 'destroyed' || this.wllama !== wllama) return;
      this.loseGpu(toEngineError(new Error(`WebGPU device lost: ${info.message}`), this.log));
    });
  }

  /** The GPU is gone: this and every later request fail with `error` and its offer. */
  private loseGpu(error: EngineError): void {
    if (this.lost) return;
    const fallback = cpuFallback(this.options.config);
    if (fallback) error.fallback = fallback;
    this.lost = error;
    for (const fail of this.inFlight) fail(error);
    void this.dispose();
  }

  private onGpu(): boolean {
    return this.options.config.gpuLayers > 0 && !this.noAdapter;
  }

  private where(): string {
    const threads = this.wllama?.getNumThreads() ?? 1;
    const cpu = `${threads} CPU thread${threads === 1 ? '' : 's'}`;
    return this.onGpu() ? `WebGPU and ${cpu}` : cpu;
  }

  private async runChat(req: ChatRequest, signal?: AbortSignal): Promise<CompletionResult> {
    const wllama = this.loaded();
    if (signal?.aborted) throw abortedError();
    const started = performance.now();
    const work = async () =>
      readChatCompletion(
        await wllama.createChatCompletion({
          ...wllamaChatRequest(req),
          abortSignal: signal,
          stream: false,
        }),
        performance.now() - started,
      );
    return this.untilAborted(work(), signal);
  }

  private loaded(): WllamaClass {
    if (this.lost) throw this.lost;
    if (!this.wllama) {
      throw new EngineError('unknown', 'No GGUF model is loaded.', 'Load a model first.');
    }
    return this.wllama;
  }

  private async run(
    req: CompletionRequest,
    { signal, onDelta }: CompletionCallOptions,
  ): Promise<CompletionResult> {
    const wllama = this.loaded();
    if (signal?.aborted) throw abortedError();
    const body = { ...wllamaRequest(req), abortSignal: signal };
    const started = performance.now();
    const latency = () => performance.now() - started;
    const work = async () => {
      if (onDelta) {
        const reader = new StreamReader(onDelta);
        await wllama.createCompletion({
          ...body,
          stream: true,
          onData: (chunk) => reader.push(chunk),
        });
        return reader.result(latency());
      }
      return readCompletion(await wllama.createCompletion({ ...body, stream: false }), latency());
    };
    return this.untilAborted(work(), signal);
  }

  /**
   * wllama notices an abort only between its result polls and then waits for llama.cpp to
   * cancel the slot; a Stop must not wait for that. The request ends for the caller at once;
   * llama.cpp's worker takes messages in order, so it finishes the cancel (and a request
   * already handed to it) before a later request starts there.
   */
  private async untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    let onAbort = () => undefined as void;
    let onLost = (_: EngineError) => undefined as void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortedError());
      onLost = reject;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.inFlight.add(onLost);
    work.catch(() => undefined);
    try {
      const result = await Promise.race([work, aborted]);
      if (signal?.aborted) throw abortedError();
      return result;
    } catch (err) {
      if (signal?.aborted) throw abortedError();
      const error = toEngineError(err, this.log);
      if (error.code === 'device-lost') this.loseGpu(error);
      throw this.lost ?? error;
    } finally {
      this.inFlight.delete(onLost);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
