/**
 * The wire format of POST /v1/completions (the raw-text endpoint, never the chat one:
 * Magpie sends exact template text). Builds the request body and reads answers, whole
 * or streamed, into the engine's CompletionResult terms.
 */
import { z } from 'zod';
import type {
  CompletionRequest,
  CompletionResult,
  CompletionUsage,
  FinishReason,
} from '../../shared/engine';
import type { PlannedRequest, Waiting } from './batch-plan';
import { completionBody as sharedBody, finishReason } from '../completion-wire';
import { serverErrors, serverMessage } from './errors';

const Choice = z.object({
  text: z.string().nullish(),
  finish_reason: z.string().nullish(),
  index: z.number().nullish(),
});
export const Usage = z.object({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
});
/** llama.cpp adds its own speed measurements. */
export const Timings = z
  .object({ prompt_per_second: z.number().nullish(), predicted_per_second: z.number().nullish() })
  .nullish()
  .catch(undefined);

export const CompletionResponse = z.object({
  choices: z.tuple([Choice]).rest(Choice),
  usage: Usage.nullish(),
  timings: Timings,
});

const StreamChunk = z.object({
  choices: z.array(Choice).nullish(),
  usage: Usage.nullish(),
  timings: Timings,
  error: z.unknown().optional(),
});

type Usage = z.infer<typeof Usage>;
type Timings = z.infer<typeof Timings>;

/** The JSON body; `seed` only when set, `repetition_penalty` only when it changes anything. */
export function completionBody(model: string, request: CompletionRequest, stream: boolean) {
  const body: Record<string, unknown> = {
    model,
    ...sharedBody(request, 'repetition_penalty'),
  };
  body.stream = stream;
  if (stream) body.stream_options = { include_usage: true };
  return body;
}

/** The body of a planned request of several samples: the first member's sampling, the plan's prompt, n and seed. */
export function batchBody(model: string, planned: PlannedRequest<Waiting>) {
  const [first] = planned.members;
  if (!first) throw new Error('a planned request has members');
  const body = completionBody(model, first.request, false);
  body.prompt = planned.prompt;
  delete body.seed;
  if (planned.seed !== undefined) body.seed = planned.seed;
  if (planned.n !== undefined) body.n = planned.n;
  return body;
}

/**
 * One result per member of a planned request, from its choices in index order. Usage is
 * the request's: token counts are split by each sample's share of the text.
 */
export function splitChoices(
  answer: z.infer<typeof CompletionResponse>,
  planned: PlannedRequest<Waiting>,
  start: number,
  end: number,
): CompletionResult[] {
  const count = planned.members.length;
  if (answer.choices.length !== count) {
    throw badResponse(`${answer.choices.length} choices for a request of ${count} samples`);
  }
  const choices = answer.choices
    .map((c, i) => ({ c, at: c.index ?? i }))
    .sort((a, b) => a.at - b.at)
    .map(({ c }) => c);
  const texts = choices.map((c) => c.text ?? '');
  const chars = texts.reduce((sum, t) => sum + t.length, 0);
  const usage = answer.usage;
  return choices.map((c, i) => {
    const share = chars > 0 ? (texts[i] ?? '').length / chars : 1 / count;
    const own = {
      prompt_tokens:
        usage?.prompt_tokens == null ? undefined : Math.round(usage.prompt_tokens / count),
      completion_tokens:
        usage?.completion_tokens == null ? undefined : Math.round(usage.completion_tokens * share),
    };
    const result: CompletionResult = {
      text: texts[i] ?? '',
      finishReason: finishReason(c.finish_reason),
      usage: { ...usageOf(start, end, own, answer.timings), batch: count },
    };
    const seed = planned.seeds[i];
    if (seed !== undefined && seed !== planned.members[i]?.request.seed) result.seed = seed;
    return result;
  });
}

const badResponse = (what: string) => serverErrors.badResponse(what);

/** vLLM may report null (treated as a normal stop) or 'abort'; unknown reasons count as stop. */

/** Collects a streamed completion from the `data:` payloads of its events. */
export function createStreamReader(onDelta: (delta: string) => void, now: () => number) {
  const state = {
    text: '',
    pieces: 0,
    done: false,
    finish: undefined as FinishReason | undefined,
    firstTokenAt: undefined as number | undefined,
    usage: undefined as Usage | undefined,
    timings: undefined as Timings,
  };
  const data = (raw: string) => {
    if (raw.trim() === '[DONE]') {
      state.done = true;
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw serverErrors.badResponse('a malformed stream event');
    }
    const chunk = StreamChunk.safeParse(json);
    if (!chunk.success) throw serverErrors.badResponse('a stream event of an unexpected shape');
    if (chunk.data.error !== undefined) throw serverErrors.streamFailed(serverMessage(raw));
    const choice = chunk.data.choices?.[0];
    if (choice?.text) {
      state.firstTokenAt ??= now();
      state.text += choice.text;
      state.pieces += 1;
      onDelta(choice.text);
    }
    if (choice?.finish_reason) state.finish = finishReason(choice.finish_reason);
    if (chunk.data.usage) state.usage = chunk.data.usage;
    if (chunk.data.timings) state.timings = chunk.data.timings;
  };
  return { state, data };
}

/** Token counts and speeds; speeds come from llama.cpp's timings or, when streaming, the clock. */
export function usageOf(
  start: number,
  end: number,
  usage: Usage | null | undefined,
  timings: Timings,
  firstTokenAt?: number,
): CompletionUsage {
  const out: CompletionUsage = { latencyMs: end - start };
  if (usage?.prompt_tokens != null) out.promptTokens = usage.prompt_tokens;
  if (usage?.completion_tokens != null) out.completionTokens = usage.completion_tokens;
  if (firstTokenAt !== undefined) out.timeToFirstTokenMs = firstTokenAt - start;
  const ttft = out.timeToFirstTokenMs;
  const decodeMs = firstTokenAt === undefined ? 0 : end - firstTokenAt;
  const prefill =
    timings?.prompt_per_second ??
    (out.promptTokens && ttft ? out.promptTokens / (ttft / 1000) : undefined);
  const decode =
    timings?.predicted_per_second ??
    (out.completionTokens && out.completionTokens > 1 && decodeMs > 0
      ? (out.completionTokens - 1) / (decodeMs / 1000)
      : undefined);
  if (prefill) out.prefillTokensPerS = prefill;
  if (decode) out.decodeTokensPerS = decode;
  return out;
}
