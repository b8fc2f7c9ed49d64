/**
 * A failed model download told apart by asking the model host again, against a real HTTP
 * server on 127.0.0.1: a removed model (404), a host in trouble (503), a download that broke
 * off while the host answers, and no host at all (offline). The exception's own words stay
 * out of the headline, under details.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainDownload, toEngineError } from './errors';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const status = req.url?.includes('/gone/') ? 404 : req.url?.includes('/busy/') ? 503 : 200;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(status === 200 ? '{"model_type":"llama"}' : 'Entry not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const cacheRefused = () =>
  toEngineError(new TypeError("Failed to execute 'add' on 'Cache': Request failed"));
const offline = () => toEngineError(new TypeError('Failed to fetch'));
const config = (dir: string) => `${base}/${dir}/resolve/main/mlc-chat-config.json`;

describe('explainDownload', () => {
  it('a removed or renamed model (404) is not "offline"', async () => {
    const e = await explainDownload(cacheRefused(), config('gone'));
    expect(e.code).toBe('model-not-found');
    expect(e.message).toMatch(
      /has no files for this model \(HTTP 404\): it was removed or renamed/,
    );
    expect(e.message).not.toMatch(/could not be reached|TypeError/);
    expect(e.retryable).toBe(false);
    expect(e.details).toBe("TypeError: Failed to execute 'add' on 'Cache': Request failed");
  });

  it('a host in trouble says its status and can be retried', async () => {
    const e = await explainDownload(cacheRefused(), config('busy'));
    expect(e).toMatchObject({ code: 'download-failed', retryable: true });
    expect(e.message).toMatch(/answered HTTP 503/);
  });

  it('a status WebLLM names (its OPFS cache) is used without asking again', async () => {
    const raw = new Error(
      `ArtifactOPFSCache: Unable to fetch ${config('ok')}, received status 410`,
    );
    const e = await explainDownload(toEngineError(raw), config('ok'));
    expect(e.code).toBe('model-not-found');
    expect(e.message).toMatch(/HTTP 410/);
  });

  it('a host that answers now: the download broke off part-way', async () => {
    const e = await explainDownload(offline(), config('ok'));
    expect(e.message).toMatch(/broke off part-way/);
    expect(e.details).toBe('TypeError: Failed to fetch');
  });

  it('no answer at all: offline, with the raw text only in details', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const e = await explainDownload(offline(), `http://127.0.0.1:${port}/m/mlc-chat-config.json`);
    expect(e.code).toBe('download-failed');
    expect(e.message).toMatch(/could not be reached: this browser seems to be offline/);
    expect(e.message).not.toContain('Failed to fetch');
    expect(e.details).toBe('TypeError: Failed to fetch');
  });
});
