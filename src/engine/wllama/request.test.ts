import type { RawCompletionChunk, RawCompletionResponse } from '@wllama/wllama';
import { describe, expect, it } from 'vitest';
import { jsonGrammar } from './json-grammar';
import { readCompletion, StreamReader, wllamaChatRequest, wllamaRequest } from './request';

const timings = {
  cache_n: 0,
  prompt_n: 8,
  prompt_ms: 59.1,
  prompt_per_token_ms: 7.4,
  prompt_per_second: 135.3,
  predicted_n: 10,
  predicted_ms: 688.4,
  predicted_per_token_ms: 68.8,
  predicted_per_second: 14.5,
};
const usage = { prompt_tokens: 8, completion_tokens: 10, total_tokens: 18 };

function chunk(text: string, finish: 'stop' | 'length' | null, last = false): RawCompletionChunk {
  return {
    id: '',
    object: 'text_completion',
    created: 0,
    model: '',
    choices: [{ text, index: 0, finish_reason: finish, logprobs: null }],
    ...(last ? { usage, timings } : {}),
  };
}

describe('wllamaRequest', () => {
  it('sends the prompt unchanged with every sampling field, under llama-server’s names', () => {
    expect(
      wllamaRequest({
        prompt: '<|im_start|>user\n',
        maxTokens: 64,
        temperature: 1,
        topP: 0.9,
        repetitionPenalty: 1.1,
        seed: 7,
        stop: ['<|im_end|>', '\n'],
      }),
    ).toEqual({
      prompt: '<|im_start|>user\n',
      max_tokens: 64,
      temperature: 1,
      top_p: 0.9,
      repeat_penalty: 1.1,
      seed: 7,
      stop: ['<|im_end|>', '\n'],
    });
  });
  it('leaves out a neutral repetition penalty and a missing seed', () => {
    const body = wllamaRequest({
      prompt: 'x',
      maxTokens: 8,
      temperature: 0,
      topP: 1,
      repetitionPenalty: 1,
      stop: [],
    });
    expect(body).not.toHaveProperty('repeat_penalty');
    expect(body).not.toHaveProperty('seed');
  });
  it('sends the judge’s schema as a grammar llama.cpp’s sampler enforces, held to max_tokens', () => {
    const schema = {
      type: 'object',
      properties: { why: { type: 'string' }, label: { type: 'string', enum: ['good', 'poor'] } },
      required: ['why', 'label'],
    };
    const body = wllamaChatRequest({
      messages: [{ role: 'user', content: 'rate' }],
      maxTokens: 100,
      temperature: 0,
      jsonSchema: schema,
    });
    expect(body).toEqual({
      messages: [{ role: 'user', content: 'rate' }],
      max_tokens: 100,
      temperature: 0,
      grammar: jsonGrammar(schema, 100),
    });
    expect(body.grammar).not.toBe(jsonGrammar(schema));
    // Not as response_format: llama.cpp fails to set its sampler up for that in a chat.
    expect(body).not.toHaveProperty('response_format');
    expect(body.grammar).toContain('"\\"good\\"" | "\\"poor\\""');
  });
  it('asks a plain chat without a schema', () => {
    const body = wllamaChatRequest({
      messages: [{ role: 'user', content: 'hi' }],
      maxTokens: 10,
      temperature: 0,
    });
    expect(body).not.toHaveProperty('grammar');
  });
});

describe('reading results', () => {
  it('reads text, finish reason, token counts and llama.cpp’s timings', () => {
    const res: RawCompletionResponse = {
      id: '',
      object: 'text_completion',
      created: 0,
      model: '',
      choices: [{ text: ' ocean at', index: 0, finish_reason: 'length', logprobs: null }],
      usage,
      timings,
    };
    expect(readCompletion(res, 700)).toEqual({
      text: ' ocean at',
      finishReason: 'length',
      usage: {
        latencyMs: 700,
        promptTokens: 8,
        completionTokens: 10,
        timeToFirstTokenMs: 59.1,
        prefillTokensPerS: 135.3,
        decodeTokensPerS: 14.5,
      },
    });
  });
  it('collects a stream: deltas as they come, finish and usage from the last chunk', () => {
    const deltas: string[] = [];
    const reader = new StreamReader((d) => deltas.push(d));
    reader.push(chunk(' ocean', null));
    reader.push(chunk(' at', null));
    reader.push(chunk('', 'stop', true));
    const result = reader.result(500);
    expect(deltas).toEqual([' ocean', ' at']);
    expect(result.text).toBe(' ocean at');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ completionTokens: 10, promptTokens: 8, latencyMs: 500 });
  });
});
