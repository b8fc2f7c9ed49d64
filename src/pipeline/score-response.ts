/**
 * A preference run's judge: the connected model, through its own chat template, at
 * temperature 0, with the judge's response-score prompt and strict reader (shared with
 * the Quality view's tagging). An answer that cannot be read is asked again once with
 * the reason, as the judge does; engine errors propagate (the sample is retried).
 */
import type { ChatMessage, CompletionResult, Engine } from '../shared/engine';
import {
  correction,
  parseResponseScore,
  RESPONSE_SCORE_MAX_TOKENS,
  RESPONSE_SCORE_SCHEMA,
  responseScorePrompt,
} from '../shared/response-score';
import type { Slots } from '../shared/slots';
import { tokensOf } from './steps';

export type ScoreOutcome =
  | { ok: true; score: number; reason: string; tokens: number }
  | { ok: false; error: string; tokens: number };

export async function scoreResponse(
  engine: Engine,
  instruction: string,
  response: string,
  signal: AbortSignal,
  slots?: Slots,
): Promise<ScoreOutcome> {
  const chat = engine.chat?.bind(engine);
  if (!chat) throw new Error('This engine cannot judge (no chat completions).');
  const request = (messages: ChatMessage[]): Promise<CompletionResult> =>
    chat(
      {
        messages,
        temperature: 0,
        maxTokens: RESPONSE_SCORE_MAX_TOKENS,
        jsonSchema: RESPONSE_SCORE_SCHEMA,
      },
      { signal },
    );
  const ask = (messages: ChatMessage[]) =>
    slots ? slots.use(() => request(messages)) : request(messages);
  const messages: ChatMessage[] = [
    { role: 'user', content: responseScorePrompt(instruction, response) },
  ];
  let answer = await ask(messages);
  let tokens = tokensOf(answer);
  let parsed = parseResponseScore(answer.text);
  if (!parsed.ok) {
    answer = await ask([
      ...messages,
      { role: 'assistant', content: answer.text },
      correction(parsed.error),
    ]);
    tokens += tokensOf(answer);
    parsed = parseResponseScore(answer.text);
  }
  if (!parsed.ok) return { ok: false, error: `${parsed.error}; asked twice`, tokens };
  return { ok: true, score: parsed.score, reason: parsed.reason, tokens };
}
