/**
 * An engine that answers from a script instead of a model. It stands in for the
 * model at the Engine seam only: in the pipeline's unit tests, and in the benchmark
 * that measures the pipeline's own overhead (an engine that answers at once).
 */
import type {
  ChatRequest,
  CompletionCallOptions,
  CompletionRequest,
  CompletionResult,
  Engine,
  ModelDescription,
} from '../../shared/engine';
import { EngineError } from '../../shared/engine';

export type Script = (
  request: CompletionRequest,
  call: number,
) => CompletionResult | Promise<CompletionResult>;

/** Answers chat requests (the judge's), by their messages. */
export type ChatScript = (
  request: ChatRequest,
  call: number,
) => CompletionResult | Promise<CompletionResult>;

export class ScriptedEngine implements Engine {
  readonly kind = 'server' as const;
  readonly requests: CompletionRequest[] = [];
  readonly chatRequests: ChatRequest[] = [];
  /** Present only when a chat script is given: an engine without it cannot judge. */
  readonly chat?: Engine['chat'];

  constructor(
    private readonly script: Script,
    private readonly description: Partial<ModelDescription> = {},
    chatScript?: ChatScript,
  ) {
    if (chatScript) {
      this.chat = async (request, options = {}) => {
        const call = this.chatRequests.push(request) - 1;
        if (options.signal?.aborted) throw new EngineError('aborted', 'Stopped.', '');
        return chatScript(request, call);
      };
    }
  }

  async load(): Promise<ModelDescription> {
    return {
      id: 'scripted-model',
      engine: 'server',
      concurrency: 1,
      streams: true,
      ...this.description,
    };
  }

  async complete(
    request: CompletionRequest,
    options: CompletionCallOptions = {},
  ): Promise<CompletionResult> {
    const call = this.requests.push(request) - 1;
    if (options.signal?.aborted) throw new EngineError('aborted', 'Stopped.', '');
    const result = await this.script(request, call);
    if (options.signal?.aborted) throw new EngineError('aborted', 'Stopped.', '');
    options.onDelta?.(result.text);
    return result;
  }

  async dispose(): Promise<void> {}
}

/** A result with the usual defaults, for scripts. */
export function said(
  text: string,
  finishReason: CompletionResult['finishReason'] = 'stop',
): CompletionResult {
  return {
    text,
    finishReason,
    usage: { latencyMs: 0, completionTokens: text.split(/\s+/).filter(Boolean).length },
  };
}
