/**
 * The wire format of POST /v1/chat/completions, used only by the judge (generation stays
 * on raw /v1/completions). A JSON schema is sent as OpenAI's structured output
 * (`response_format: { type: 'json_schema', ... }`), which vLLM, llama.cpp, Ollama and
 * LM Studio accept; a server that refuses it gets the request again without it, and the
 * judge's strict parser checks the answer either way.
 */
import { z } from 'zod';
import type { ChatRequest } from '../../shared/engine';
import { Timings, Usage } from './completion';

const ChatChoice = z.object({
  message: z.object({ content: z.string().nullish() }).nullish(),
  finish_reason: z.string().nullish(),
});

export const ChatResponse = z.object({
  choices: z.tuple([ChatChoice]).rest(ChatChoice),
  usage: Usage.nullish(),
  timings: Timings,
});

export function chatBody(model: string, request: ChatRequest, jsonMode: boolean) {
  const body: Record<string, unknown> = {
    model,
    messages: request.messages,
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    stream: false,
  };
  if (request.jsonSchema && jsonMode) {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: 'judgement', schema: request.jsonSchema, strict: true },
    };
  }
  return body;
}

/** A 400/422 that names the structured-output field: the server does not support it. */
export function refusesJsonMode(message: string): boolean {
  return (
    /HTTP 4(00|22)/.test(message) && /response_format|json_schema|schema|grammar/i.test(message)
  );
}
