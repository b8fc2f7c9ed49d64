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
} from '../../shared/engine';
import { ChunkCollector, completionBody, finishReason } from '../completion-wire';
import { jsonGrammar } from './json-grammar';

/**
 * wllama passes the object to llama-server's parser as JSON: `repeat_penalty` is the name
 * that parser reads (wllama's own type calls it penalty_repeat, which the parser ignores).
 */
export type WllamaRequest = RawCompletionParams & { repeat_penalty?: number };

/** The exact request (llama.cpp's parser reads `repeat_penalty`). */
export function wllamaRequest(req: CompletionRequest): WllamaRequest {
  return completionBody(req, 'repeat_penalty');
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
  private readonly collected: ChunkCollector<RawCompletionChunk>;
  constructor(onDelta: (delta: string) => void) {
    this.collected = new ChunkCollector(onDelta, (chunk) => !!(chunk.usage || chunk.timings));
  }
  push(chunk: RawCompletionChunk): void {
    this.collected.push(chunk);
  }
  result(latencyMs: number): CompletionResult {
    return {
      text: this.collected.text,
      finishReason: this.collected.finishReason,
      usage: usageOf(this.collected.last, latencyMs),
    };
  }
}

/**
 * The judge's request: llama.cpp applies the file's chat template, and a JSON schema goes as
 * a grammar its sampler enforces (json-grammar.ts says why not as `response_format`).
 */
export function wllamaChatRequest(req: ChatRequest): ChatCompletionParams {
  const body: ChatCompletionParams = {
    messages: req.messages,
    max_tokens: req.maxTokens,
    temperature: req.temperature,
  };
  if (req.jsonSchema) body.grammar = jsonGrammar(req.jsonSchema, req.maxTokens);
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
