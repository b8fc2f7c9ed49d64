/**
 * The request llama.cpp (wllama's `createCompletion`, llama-server's /completion fields)
 * receives and the result read back, apart from the engine so the wire shapes are easy to
 * check. Shapes: @wllama/wllama 3.13, esm/types/oai-compat.d.ts.
 */
import type {
  ChatCompletionParams,
  ChatCompletionResponse,
  RawCompletionChunk,
  RawCompletionParams,
  RawCompletionResponse,
} from '@wllama/wllama';
import type {
  ChatRequest,
  CompletionRequest,
  CompletionResult,
  CompletionUsage,
  FinishReason,
} from '../../shared/engine';

/**
 * wllama passes the object to llama-server's parser as JSON: `repeat_penalty` is the name
 * that parser reads (wllama's own type calls it penalty_repeat, which the parser ignores).
 */
export type WllamaRequest = RawCompletionParams & { repeat_penalty?: number };

/** The exact request; optional fields are left out, not sent as undefined. */
export function wllamaRequest(req: CompletionRequest): WllamaRequest {
  const body: WllamaRequest = {
    prompt: req.prompt,
    max_tokens: req.maxTokens,
    temperature: req.temperature,
    top_p: req.topP,
    stop: req.stop,
  };
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.repetitionPenalty !== undefined && req.repetitionPenalty !== 1) {
    body.repeat_penalty = req.repetitionPenalty;
  }
  return body;
}

export function finishReason(reason: string | null | undefined): FinishReason {
  return reason === 'length' ? 'length' : 'stop';
}

type Final =
  Pick<RawCompletionResponse, 'usage' | 'timings'> | Pick<RawCompletionChunk, 'usage' | 'timings'>;

export function usageOf(final: Final | undefined, latencyMs: number): CompletionUsage {
  const usage: CompletionUsage = { latencyMs };
  const u = final?.usage;
  if (u) {
    usage.promptTokens = u.prompt_tokens;
    usage.completionTokens = u.completion_tokens;
  }
  const t = final?.timings;
  if (t) {
    usage.timeToFirstTokenMs = t.prompt_ms;
    if (t.prompt_n > 0) usage.prefillTokensPerS = t.prompt_per_second;
    if (t.predicted_n > 0) usage.decodeTokensPerS = t.predicted_per_second;
  }
  return usage;
}

export function readCompletion(res: RawCompletionResponse, latencyMs: number): CompletionResult {
  const choice = res.choices[0];
  return {
    text: choice?.text ?? '',
    finishReason: finishReason(choice?.finish_reason),
    usage: usageOf(res, latencyMs),
  };
}

/** Collects a stream: text from every chunk, finish reason, usage and timings from the last. */
export class StreamReader {
  text = '';
  private finish: string | null | undefined;
  private last: RawCompletionChunk | undefined;
  constructor(private readonly onDelta: (delta: string) => void) {}
  push(chunk: RawCompletionChunk): void {
    const choice = chunk.choices[0];
    if (choice?.text) {
      this.text += choice.text;
      this.onDelta(choice.text);
    }
    if (choice?.finish_reason) this.finish = choice.finish_reason;
    if (chunk.usage || chunk.timings) this.last = chunk;
  }
  result(latencyMs: number): CompletionResult {
    return {
      text: this.text,
      finishReason: finishReason(this.finish),
      usage: usageOf(this.last, latencyMs),
    };
  }
}

/** The judge's request: a JSON schema goes as structured output, which llama.cpp enforces. */
export function wllamaChatRequest(req: ChatRequest): ChatCompletionParams {
  const body: ChatCompletionParams = {
    messages: req.messages,
    max_tokens: req.maxTokens,
    temperature: req.temperature,
  };
  if (req.jsonSchema) {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: 'judgement', schema: req.jsonSchema, strict: true },
    };
  }
  return body;
}

export function readChatCompletion(
  res: ChatCompletionResponse,
  latencyMs: number,
): CompletionResult {
  const choice = res.choices[0];
  return {
    text: choice?.message?.content ?? '',
    finishReason: finishReason(choice?.finish_reason),
    usage: usageOf({ usage: res.usage, timings: undefined }, latencyMs),
  };
}
