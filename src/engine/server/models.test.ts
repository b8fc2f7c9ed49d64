import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from '../../../e2e/support/fake-openai-server';
import { EngineError } from '../../shared/engine';
import { listServerModels, readChatTemplate } from './models';

let server: FakeOpenAIServer;
let llama: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ model: 'Qwen/Qwen2.5-1.5B-Instruct', apiKey: 'k1' });
  llama = await startFakeOpenAIServer({
    model: 'qwen2.5-1.5b-instruct-q4_k_m.gguf',
    props: { chat_template: '{% for message in messages %}…', bos_token: '', n_ctx: 2048 },
  });
});
afterAll(async () => {
  await server.close();
  await llama.close();
});

describe('listServerModels', () => {
  it.each(['', '/', '/v1', '/v1/'])('lists the models with base URL suffix %j', async (suffix) => {
    const list = await listServerModels(`${server.url}${suffix}`, 'k1');
    expect(list).toEqual({ baseUrl: `${server.url}/v1`, models: ['Qwen/Qwen2.5-1.5B-Instruct'] });
    expect(server.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/v1/models',
      authorization: 'Bearer k1',
    });
  });

  it('sends no Authorization header without a key', async () => {
    await listServerModels(llama.url);
    expect(llama.requests.at(-1)?.authorization).toBeUndefined();
  });

  it('rejects a wrong key as unauthorized', async () => {
    await expect(listServerModels(server.url, 'nope')).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('rejects a non-http address before any request', async () => {
    const before = server.requests.length;
    await expect(listServerModels(`ftp://127.0.0.1:${server.port}`)).rejects.toBeInstanceOf(
      EngineError,
    );
    expect(server.requests.length).toBe(before);
  });

  it('calls JSON of another shape not-openai', async () => {
    const other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as AddressInfo;
    try {
      await expect(listServerModels(`http://127.0.0.1:${port}`)).rejects.toMatchObject({
        code: 'not-openai',
        message: `http://127.0.0.1:${port}/v1/models answered with JSON of another shape, not the OpenAI API.`,
      });
    } finally {
      other.close();
    }
  });
});

describe('readChatTemplate', () => {
  it("reads llama.cpp's /props at the server root", async () => {
    const props = await readChatTemplate(`${llama.url}/v1`);
    expect(props).toEqual({ chatTemplate: '{% for message in messages %}…', contextWindow: 2048 });
    expect(llama.requests.at(-1)).toMatchObject({ method: 'GET', path: '/props' });
  });

  it('is undefined where there is no /props (vLLM)', async () => {
    await expect(readChatTemplate(server.url)).resolves.toBeUndefined();
  });

  it('is undefined, never throws, when the server is down or the URL is bad', async () => {
    const gone = await startFakeOpenAIServer();
    await gone.close();
    await expect(readChatTemplate(gone.url)).resolves.toBeUndefined();
    await expect(readChatTemplate('ftp://x')).resolves.toBeUndefined();
  });
});
