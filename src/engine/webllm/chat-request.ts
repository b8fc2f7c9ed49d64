/**
 * The chat request WebLLM receives for the judge and the answer read back. A JSON schema
 * goes in WebLLM's own form (`response_format: { type: 'json_object', schema: <string> }`),
 * which constrains decoding so the answer is JSON of that shape. Shapes: @mlc-ai/web-llm
 * 0.2.86, lib/openai_api_protocols/chat_completion.d.ts.
 */
import type { ChatCompletion, ChatCompletionRequestNonStreaming } from '@mlc-ai/web-llm';
import type { ChatRequest } from '../../shared/engine';
import { finishReason } from '../completion-wire';
import { usage, type Draft } from './request';

export function webllmChatRequest(req: ChatRequest): ChatCompletionRequestNonStreaming {
  const body: ChatCompletionRequestNonStreaming = {
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
    max_tokens: req.maxTokens,
    temperature: req.temperature,
    stream: false,
  };
  if (req.jsonSchema) {
    body.response_format = { type: 'json_object', schema: JSON.stringify(req.jsonSchema) };
  }
  return body;
}

export function readChatCompletion(res: ChatCompletion): Draft {
  const choice = res.choices[0];
  return {
    text: choice?.message?.content ?? '',
    finishReason: finishReason(choice?.finish_reason),
    usage: usage(res.usage),
  };
}
