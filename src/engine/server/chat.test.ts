/** The server engine's chat completions (the judge) against the fake vLLM server. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  judgeAnswer,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from '../../../e2e/support/fake-openai-server';
import type { ChatRequest } from '../../shared/engine';
import { ServerEngine } from './server-engine';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SCHEMA = { type: 'object', properties: { score: { type: 'integer' } } };
const QUALITY_PROMPT =
  'Rate it.\n## User Query\n```\nHow do I sort a list of 3 numbers in Python?\n```\n{"explanation": "[...]", "input_quality": "[...]"}';
const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: QUALITY_PROMPT }],
  maxTokens: 200,
  temperature: 0,
  jsonSchema: SCHEMA,
  ...over,
});

function engineFor(s: FakeOpenAIServer) {
  return new ServerEngine({ kind: 'server', baseUrl: s.baseUrl, model: 'm', concurrency: 4 });
}

const chatBodies = (s: FakeOpenAIServer) =>
  s.requests
    .filter((r) => r.path === '/v1/chat/completions')
    .map((r) => r.body as Record<string, unknown>);

describe('ServerEngine.chat', () => {
  it('posts the messages with structured output and reads the answer', async () => {
    server = await startFakeOpenAIServer({ model: 'm' });
    const result = await engineFor(server).chat(request());
    expect(chatBodies(server)).toEqual([
      {
        model: 'm',
        messages: [{ role: 'user', content: QUALITY_PROMPT }],
        max_tokens: 200,
        temperature: 0,
        stream: false,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'judgement', schema: SCHEMA, strict: true },
        },
      },
    ]);
    expect(result.text).toBe(judgeAnswer(QUALITY_PROMPT));
    expect(JSON.parse(result.text)).toMatchObject({ input_quality: 'excellent' });
    expect(result.finishReason).toBe('stop');
    expect(result.usage.completionTokens).toBeGreaterThan(0);
  });

  it('asks again without response_format when the server refuses it, and stops sending it', async () => {
    server = await startFakeOpenAIServer({ model: 'm', judge: { rejectResponseFormat: true } });
    const engine = engineFor(server);
    const first = await engine.chat(request());
    await engine.chat(request());
    expect(first.text).toContain('input_quality');
    const bodies = chatBodies(server);
    expect(bodies.map((b) => 'response_format' in b)).toEqual([true, false, false]);
  });

  it('retries every refusal without response_format when 8 judge requests are in flight', async () => {
    server = await startFakeOpenAIServer({
      model: 'm',
      delayMs: 50,
      judge: { rejectResponseFormat: true },
    });
    const engine = engineFor(server);
    const answers = await Promise.all(Array.from({ length: 8 }, () => engine.chat(request())));
    expect(answers.map((a) => JSON.parse(a.text).input_quality)).toEqual(
      Array(8).fill('excellent'),
    );
    const bodies = chatBodies(server);
    // All 8 went out in JSON mode before the first refusal came back; each was asked again.
    expect(bodies.filter((b) => 'response_format' in b)).toHaveLength(8);
    expect(bodies.filter((b) => !('response_format' in b))).toHaveLength(8);
  });

  it('sends no response_format without a schema, and reports server failures in plain words', async () => {
    server = await startFakeOpenAIServer({ model: 'm', mode: 'error500' });
    await expect(engineFor(server).chat(request({ jsonSchema: undefined }))).rejects.toMatchObject({
      code: 'server-error',
      retryable: true,
    });
    expect('response_format' in (chatBodies(server)[0] ?? {})).toBe(false);
  });

  it('the fake judge can cut its first answer short, for the retry path', async () => {
    server = await startFakeOpenAIServer({ model: 'm', judge: { truncateFirst: true } });
    const engine = engineFor(server);
    const first = await engine.chat(request());
    const again = await engine.chat(request());
    expect(() => JSON.parse(first.text)).toThrow();
    expect(JSON.parse(again.text)).toMatchObject({ input_quality: 'excellent' });
  });
});
