/** The fake vLLM server itself: CORS, modes and recording, as the browser tests rely on them. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fakeInstruction,
  isInstructionPrompt,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from '../../../e2e/support/fake-openai-server';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer({ model: 'm' });
});
afterAll(() => server.close());
beforeEach(() => {
  server.setMode('ok');
  server.requests.length = 0;
});

const post = (body: unknown) =>
  fetch(`${server.baseUrl}/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('fake OpenAI server', () => {
  it('listens on 127.0.0.1 with a random port', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('answers the CORS preflight and puts CORS headers on every answer', async () => {
    const preflight = await fetch(`${server.baseUrl}/completions`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type',
    );
    for (const path of ['/v1/models', '/nowhere']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  it("mode 'no-cors' answers without CORS headers", async () => {
    server.setMode('no-cors');
    const res = await fetch(`${server.baseUrl}/models`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("mode 'html' answers a web page on every path", async () => {
    server.setMode('html');
    for (const path of ['/v1/models', '/v1/completions', '/']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('content-type')).toBe('text/html');
      expect(await res.text()).toBe('<html>Welcome to nginx</html>');
    }
  });

  it('records path and parsed body of every request', async () => {
    await post({ model: 'm', prompt: 'x', stream: false });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        path: '/v1/completions',
        body: { model: 'm', prompt: 'x', stream: false },
        authorization: undefined,
      },
    ]);
    expect(server.completions()).toBeGreaterThan(0);
  });

  it('answers vLLM-style JSON errors in error500 mode', async () => {
    server.setMode('error500');
    const res = await post({ model: 'm', prompt: 'x' });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({
      error: { message: expect.stringContaining('crashed'), code: 500 },
    });
  });

  it('streams SSE chunks, a usage chunk and [DONE]', async () => {
    const res = await post({
      model: 'm',
      prompt: 'x',
      seed: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const usage = JSON.parse(events.at(-2)!.slice(6));
    expect(usage).toMatchObject({ choices: [], usage: { completion_tokens: 11 } });
  });

  it('makes distinct instructions and classifies prompts by the pre-query tail', () => {
    const many = new Set(Array.from({ length: 100 }, (_, k) => fakeInstruction(k)));
    expect(many.size).toBe(100);
    expect(isInstructionPrompt('<s>SYSTEM<|user|>\n', 'SYSTEM<|user|>\n')).toBe(true);
    expect(isInstructionPrompt('SYSTEM<|user|>\nHi<|assistant|>\n', 'SYSTEM<|user|>\n')).toBe(
      false,
    );
  });
});
