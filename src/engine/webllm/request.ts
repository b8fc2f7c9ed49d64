/**
 * The request WebLLM receives and the result read back, kept apart from the engine so
 * the exact wire shapes are easy to check. Shapes: @mlc-ai/web-llm 0.2.86,
 * lib/openai_api_protocols/completion.d.ts and chat_completion.d.ts (CompletionUsage).
 */
import type {
  Completion,
  CompletionCreateParamsBase,
  CompletionUsage as WebLLMUsage,
} from '@mlc-ai/web-llm';
import type { CompletionRequest, CompletionResult, CompletionUsage } from '../../shared/engine';
import { ChunkCollector, completionBody, finishReason } from '../completion-wire';

/** A result before the wall-time fallback is filled in. */
export type Draft = Omit<CompletionResult, 'usage'> & { usage: Partial<CompletionUsage> };

/** The exact request WebLLM receives (WebLLM reads `repetition_penalty`). */
export function webllmRequest(req: CompletionRequest): CompletionCreateParamsBase {
  return completionBody(req, 'repetition_penalty');
}

const num = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : undefined);
const ms = (s: number | undefined) => (num(s) === undefined ? undefined : (s as number) * 1000);

/** usage.extra is in seconds; CompletionUsage wants ms. NaN/Infinity (0 s prefill) are dropped. */
export function usage(u: WebLLMUsage | undefined): Draft['usage'] {
  const extra = u?.extra;
  return {
    promptTokens: u?.prompt_tokens,
    completionTokens: u?.completion_tokens,
    latencyMs: ms(extra?.e2e_latency_s),
    timeToFirstTokenMs: ms(extra?.time_to_first_token_s),
    prefillTokensPerS: num(extra?.prefill_tokens_per_s),
    decodeTokensPerS: num(extra?.decode_tokens_per_s),
  };
}

/** A non-streaming `text_completion`: choices[0] carries text and finish_reason. */
export function readCompletion(res: Completion): Draft {
  const choice = res.choices[0];
  return {
    text: choice?.text ?? '',
    finishReason: finishReason(choice?.finish_reason),
    usage: usage(res.usage),
  };
}

/**
 * A stream of `text_completion` chunks: text deltas with finish_reason null, then one
 * chunk with text '' and the finish_reason, then (include_usage) one with choices [] and
 * usage. Stops reading once `signal` fires; leaving the loop ends WebLLM's generator.
 */
export async function readStream(
  chunks: AsyncIterable<Completion>,
  onDelta: (delta: string) => void,
  signal?: AbortSignal,
): Promise<Draft> {
  const collected = new ChunkCollector<Completion>(onDelta, (chunk) => !!chunk.usage);
  for await (const chunk of chunks) {
    collected.push(chunk);
    if (signal?.aborted) break;
  }
  return {
    text: collected.text,
    finishReason: collected.finishReason,
    usage: usage(collected.last?.usage),
  };
}
