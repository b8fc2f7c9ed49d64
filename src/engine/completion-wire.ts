/**
 * What the two in-tab engines (WebLLM, wllama) share on the wire: both take an
 * OpenAI-style completion body and answer `text_completion` choices, as a whole or as a
 * stream of chunks. Only the repetition penalty's field name differs (WebLLM reads
 * `repetition_penalty`, llama.cpp's parser `repeat_penalty`).
 */
import type { CompletionRequest, FinishReason } from '../shared/engine';

export interface CompletionBody {
  prompt: string;
  max_tokens: number;
  temperature: number;
  top_p: number;
  stop: string[];
  seed?: number;
}

/** The exact body; optional fields are left out, not sent as undefined; a penalty of 1 is none. */
export function completionBody<K extends string>(
  req: CompletionRequest,
  penaltyKey: K,
): CompletionBody & Partial<Record<K, number>> {
  const body: CompletionBody = {
    prompt: req.prompt,
    max_tokens: req.maxTokens,
    temperature: req.temperature,
    top_p: req.topP,
    stop: req.stop,
  };
  if (req.seed !== undefined) body.seed = req.seed;
  const penalty: Partial<Record<K, number>> = {};
  if (req.repetitionPenalty !== undefined && req.repetitionPenalty !== 1)
    penalty[penaltyKey] = req.repetitionPenalty;
  return { ...body, ...penalty };
}

/** 'length' when the token limit cut the text, 'abort' when it was stopped, else 'stop'. */
export function finishReason(reason: string | null | undefined): FinishReason {
  return reason === 'length' ? 'length' : reason === 'abort' ? 'abort' : 'stop';
}

interface Chunk {
  choices: { text?: string; finish_reason?: string | null }[];
}

/**
 * Collects a stream of `text_completion` chunks: text deltas (told to `onDelta`), the
 * finish reason from whichever chunk carries it, and the last chunk that carries usage.
 */
export class ChunkCollector<C extends Chunk> {
  text = '';
  private finish: string | null | undefined;
  last: C | undefined;
  constructor(
    private readonly onDelta: (delta: string) => void,
    private readonly hasUsage: (chunk: C) => boolean,
  ) {}

  push(chunk: C): void {
    const choice = chunk.choices[0];
    if (choice?.text) {
      this.text += choice.text;
      this.onDelta(choice.text);
    }
    if (choice?.finish_reason) this.finish = choice.finish_reason;
    if (this.hasUsage(chunk)) this.last = chunk;
  }

  get finishReason(): FinishReason {
    return finishReason(this.finish);
  }
}
