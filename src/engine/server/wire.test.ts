import { describe, expect, it } from 'vitest';
import { finishReason } from '../completion-wire';
import { completionBody, createStreamReader, usageOf } from './completion';
import { serverMessage } from './errors';

describe('completionBody', () => {
  it('has the fields in a fixed order, stream_options only when streaming', () => {
    const request = {
      prompt: 'p',
      maxTokens: 8,
      temperature: 0,
      topP: 1,
      stop: [],
      seed: 7,
      repetitionPenalty: 1.05,
    };
    expect(completionBody('m', request, true)).toEqual({
      model: 'm',
      prompt: 'p',
      max_tokens: 8,
      temperature: 0,
      top_p: 1,
      stop: [],
      seed: 7,
      repetition_penalty: 1.05,
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});

describe('finishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['abort', 'abort'],
    [null, 'stop'],
    [undefined, 'stop'],
    ['eos', 'stop'],
  ] as const)('%s -> %s', (raw, mapped) => {
    expect(finishReason(raw)).toBe(mapped);
  });
});

describe('serverMessage', () => {
  it.each([
    [
      '{"error":{"message":"CUDA out of memory","type":"InternalServerError","code":500}}',
      'CUDA out of memory',
    ],
    [
      '{"object":"error","message":"max_tokens is too large","type":"BadRequestError","code":400}',
      'max_tokens is too large',
    ],
    [
      '{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}',
      'Loading model',
    ],
    ['{"detail":"Not Found"}', 'Not Found'],
    ['{"error":"Unauthorized"}', 'Unauthorized'],
    ['<html><body>502 Bad Gateway</body></html>', 'an HTML page'],
    ['upstream\n  timed out', 'upstream timed out'],
  ])('%s -> %s', (body, message) => {
    expect(serverMessage(body)).toBe(message);
  });

  it('clips long bodies', () => {
    expect(serverMessage('x'.repeat(1000))).toHaveLength(200);
  });
});

describe('createStreamReader', () => {
  it('reads llama.cpp-style chunks with timings', () => {
    const deltas: string[] = [];
    const reader = createStreamReader(
      (d) => deltas.push(d),
      () => 5,
    );
    reader.data('{"choices":[{"text":"Hi","finish_reason":null}]}');
    reader.data(
      '{"choices":[{"text":" there","finish_reason":"length"}],"timings":{"prompt_per_second":900,"predicted_per_second":40}}',
    );
    reader.data('[DONE]');
    expect(deltas).toEqual(['Hi', ' there']);
    expect(reader.state).toMatchObject({
      text: 'Hi there',
      finish: 'length',
      done: true,
      firstTokenAt: 5,
    });
    expect(usageOf(0, 10, { completion_tokens: 2 }, reader.state.timings, 5)).toEqual({
      latencyMs: 10,
      completionTokens: 2,
      timeToFirstTokenMs: 5,
      prefillTokensPerS: 900,
      decodeTokensPerS: 40,
    });
  });

  it('turns an error event into a retryable server-error', () => {
    const reader = createStreamReader(
      () => undefined,
      () => 0,
    );
    expect(() => reader.data('{"error":{"message":"engine died","code":500}}')).toThrow(
      expect.objectContaining({
        code: 'server-error',
        retryable: true,
        message: 'The server failed while streaming: engine died',
      }),
    );
  });

  it('estimates speeds from the clock when streaming', () => {
    const usage = usageOf(0, 1100, { prompt_tokens: 50, completion_tokens: 11 }, undefined, 100);
    expect(usage.prefillTokensPerS).toBeCloseTo(500);
    expect(usage.decodeTokensPerS).toBeCloseTo(10);
  });
});
