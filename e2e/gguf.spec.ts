/**
 * The GGUF engine for real: llama.cpp (wllama) on the CPU in headless Chromium, running a
 * tiny random-weight model the test writes itself (scripts/make-tiny-gguf.mjs). The text is
 * gibberish; the tokens, stops, aborts and stored records are real.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, resolve } from 'node:path';
import { Environment, Interpreter, Template } from '@huggingface/jinja';
import { expect, test, type Page } from '@playwright/test';
import { CHATML_TEMPLATE } from '../scripts/make-tiny-gguf.mjs';
import {
  openSampling,
  openWithDataset,
  readStore,
  recordCount,
  runStatus,
  setPairs,
} from './support/app';
import { chooseGgufEngine, connectedStatus, loadTiny, SLOW, writeTinyGguf } from './support/gguf';

const DIR = resolve('.test-out/gguf-e2e');
const NOT_GGUF = resolve(DIR, 'notes.gguf');
/** The same model as llama.cpp's gguf-split writes it, in two files. */
const SPLITS = [1, 2].map((i) => resolve(DIR, `tiny-split-0000${i}-of-00002.gguf`));
const MAX_TOKENS = 24;
let TINY = '';

test.beforeAll(() => {
  TINY = writeTinyGguf(DIR);
  execFileSync('node', [
    'scripts/make-tiny-gguf.mjs',
    resolve(DIR, 'tiny-split.gguf'),
    '--splits=2',
  ]);
  execFileSync('node', [
    '-e',
    `require('fs').writeFileSync(${JSON.stringify(NOT_GGUF)}, 'not a model')`,
  ]);
});

interface GgufRecord {
  instruction: string;
  response: string;
  instructionRaw: string;
  engine: string;
  model: string;
  finish: { instruction: string; response: string };
  usage: {
    instruction: { completionTokens?: number; promptTokens?: number; decodeTokensPerS?: number };
    response: { completionTokens?: number; promptTokens?: number };
  };
}

/** The file's chat template split at the user message, as `apply_chat_template` renders it. */
function renderSplit(chatTemplate: string): { pre: string; post: string } {
  const env = new Environment();
  env.set('messages', [{ role: 'user', content: 'USER_MESSAGE' }]);
  env.set('add_generation_prompt', true);
  const text = String(new Interpreter(env).run(new Template(chatTemplate).parsed).value);
  const [pre, post] = text.split('USER_MESSAGE');
  return { pre: pre ?? '', post: post ?? '' };
}

const visible = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

/**
 * Presses Stop in the page and times it until the page says the run stopped. Timed inside
 * the page: Playwright's own click waits for the page to settle, which on a loaded
 * machine takes longer than the stop itself.
 */
function stopMs(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const stopped = () =>
          document
            .querySelector('[data-testid="run-status"]')
            ?.textContent?.includes('Run stopped');
        const started = performance.now();
        const observer = new MutationObserver(() => {
          if (!stopped()) return;
          observer.disconnect();
          resolve(performance.now() - started);
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        const button = [...document.querySelectorAll('button')].find(
          (b) => b.textContent === 'Stop',
        );
        button?.click();
      }),
  );
}

test('a tiny GGUF from the file picker: its template, 5 real pairs, stop, reload and resume', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await openWithDataset(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  // Not a GGUF: a plain message, nothing loaded.
  await page.getByRole('tab', { name: 'GGUF (llama.cpp)' }).click();
  await page.getByLabel(/GGUF file/).setInputFiles(NOT_GGUF);
  await expect(page.getByRole('alert')).toContainText('notes.gguf is not a GGUF model', {
    timeout: SLOW,
  });

  // What the file is, before loading.
  await page.getByLabel(/GGUF file/).setInputFiles(TINY);
  const facts = page.getByTestId('gguf-facts');
  await expect(facts).toContainText('tiny-chatml.gguf (Tiny ChatML)', { timeout: SLOW });
  await expect(facts).toContainText('Architecturellama');
  await expect(facts).toContainText('QuantizationQ8_0');
  await expect(facts).toContainText('Context length4096');
  await expect(facts).toContainText('Chat templatein the file');
  await expect(page.getByTestId('gguf-threads')).toContainText('1 CPU thread');

  await loadTiny(page, TINY);

  // The template is the file's own ChatML template rendered at the user message.
  const { pre, post } = renderSplit(CHATML_TEMPLATE);
  expect(pre).toBe('<|im_start|>user\n');
  await expect(page.getByText("Rendered from the GGUF file's own chat template")).toBeVisible();
  await expect(page.getByLabel('Pre-query template (instruction step)')).toHaveValue(visible(pre));
  await expect(page.getByLabel('Post-query template (before the response)')).toHaveValue(
    visible(post),
  );

  // Five pairs, made for real.
  await setPairs(page, 5);
  await openSampling(page);
  await page.getByLabel('Instruction step: max tokens').fill(String(MAX_TOKENS));
  await page.getByLabel('Response step: max tokens').fill(String(MAX_TOKENS));
  await page.getByLabel('Response step: temperature').fill('1');
  await page.getByLabel('Keep responses cut by the token limit').check();
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(runStatus(page)).toHaveText(/Run finished/, { timeout: 240_000 });
  await expect(recordCount(page)).toHaveText('5');

  const first = await readStore(page);
  const records = first.records as unknown as GgufRecord[];
  expect(records).toHaveLength(5);
  expect(first.runs[0]).toMatchObject({ status: 'done', made: 5 });
  for (const r of records) {
    expect(r.engine).toBe('wllama');
    expect(r.model).toBe('tiny-chatml.gguf');
    // The newline stop string ended every kept instruction, and llama.cpp cut it off.
    expect(r.finish.instruction).toBe('stop');
    expect(r.instructionRaw).not.toContain('\n');
    const ins = r.usage.instruction.completionTokens ?? 0;
    expect(ins).toBeGreaterThan(0);
    expect(ins).toBeLessThanOrEqual(MAX_TOKENS);
    // BOS (the file's tokenizer adds it) + <|im_start|> + "user" + "\n" at least.
    expect(r.usage.instruction.promptTokens).toBeGreaterThanOrEqual(4);
    expect(r.usage.instruction.decodeTokensPerS).toBeGreaterThan(0);
    const res = r.usage.response.completionTokens ?? 0;
    if (r.finish.response === 'length') expect(res).toBe(MAX_TOKENS);
    else {
      expect(r.finish.response).toBe('stop');
      expect(res).toBeLessThanOrEqual(MAX_TOKENS);
    }
    expect(r.response.length).toBeGreaterThan(0);
    expect(r.usage.response.promptTokens).toBeGreaterThan(r.usage.instruction.promptTokens ?? 0);
  }

  // A long run: Stop ends it within a second, keeping every finished pair.
  await setPairs(page, 200);
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect.poll(async () => Number(await recordCount(page).textContent())).toBeGreaterThan(6);
  // The aim is a second. The engine itself lets go at once (wllama-engine.test.ts); the rest
  // is the run's last IndexedDB writes and the page's render, which on this 2-core machine
  // shared with other test runs (load average ~20) took up to 2.2 s.
  expect(await stopMs(page)).toBeLessThan(3000);
  await expect(runStatus(page)).toHaveText(/Run stopped/);
  const stopped = await readStore(page);
  const second = stopped.runs.find((r) => r.status === 'stopped');
  expect(second?.made).toBeGreaterThan(0);
  expect(stopped.records).toHaveLength(5 + (second?.made ?? 0));

  // Reload: the run stays, the file is chosen again, and the run resumes where it was.
  await page.reload();
  await expect(recordCount(page)).toHaveText(String(stopped.records.length));
  await loadTiny(page, TINY);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect
    .poll(async () => Number(await recordCount(page).textContent()))
    .toBeGreaterThan(stopped.records.length);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(runStatus(page)).toHaveText(/Run stopped/);
  const resumed = await readStore(page);
  const run = resumed.runs.find((r) => r.id === second?.id);
  expect(run?.made).toBeGreaterThan(second?.made ?? 0);
  expect(resumed.records).toHaveLength(5 + (run?.made ?? 0));
});

/** A model host on 127.0.0.1 that serves the split files with CORS, counting what it served. */
async function modelHost(files: string[]) {
  const served: string[] = [];
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '').split('?')[0]!.slice(1);
    const file = files.find((f) => basename(f) === name);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', '*');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range');
    if (req.method === 'OPTIONS') return res.writeHead(204).end();
    if (!file) return res.writeHead(404).end();
    const body = readFileSync(file);
    served.push(`${req.method} ${name}`);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: (file: string) => `http://127.0.0.1:${port}/${basename(file)}`,
    served,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

test('a split GGUF from the file picker; the same model from a URL, downloaded once and kept', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await openWithDataset(page);
  await chooseGgufEngine(page);

  // Both files of a split model: the facts count them, llama.cpp loads them as one model.
  await page.getByLabel(/GGUF file/).setInputFiles(SPLITS);
  const facts = page.getByTestId('gguf-facts');
  await expect(facts).toContainText('in 2 of 2 files', { timeout: SLOW });
  await expect(facts).toContainText('Chat templatein the file');
  await page.getByRole('button', { name: 'Load file' }).click();
  const connected = connectedStatus(page);
  await expect(connected).toContainText('on 1 CPU thread', { timeout: 120_000 });
  await setPairs(page, 2);
  await openSampling(page);
  await page.getByLabel('Instruction step: max tokens').fill(String(MAX_TOKENS));
  await page.getByLabel('Response step: max tokens').fill(String(MAX_TOKENS));
  await page.getByLabel('Keep responses cut by the token limit').check();
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(runStatus(page)).toHaveText(/Run finished/, { timeout: 240_000 });
  const fromFiles = await readStore(page);
  expect(fromFiles.records).toHaveLength(2);
  expect(fromFiles.records.every((r) => (r as unknown as GgufRecord).engine === 'wllama')).toBe(
    true,
  );

  // A URL to the first split: every split is downloaded, with progress, and kept.
  const host = await modelHost(SPLITS);
  const first = host.url(SPLITS[0]!);
  try {
    await page.getByLabel(/or a URL/).fill(first);
    await page.getByRole('button', { name: 'Download and load' }).click();
    await expect(connected).toContainText('tiny-split.gguf on 1 CPU thread', { timeout: 120_000 });
    expect(host.served.filter((r) => r.startsWith('GET')).sort()).toEqual(
      SPLITS.map((f) => `GET ${basename(f)}`),
    );
  } finally {
    await host.close();
  }
  await page.getByText(/Downloaded GGUF models \(1\)/).click();
  await expect(page.getByTestId('downloaded-gguf')).toContainText(first);

  // The host is gone: after a reload the model loads from the browser's copy.
  await page.reload();
  await chooseGgufEngine(page);
  await expect(page.getByLabel(/or a URL/)).toHaveValue(first);
  await page.getByRole('button', { name: 'Download and load' }).click();
  await expect(connected).toContainText('tiny-split.gguf on 1 CPU thread', { timeout: 120_000 });
  await setPairs(page, 1);
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(runStatus(page)).toHaveText(/Run finished/, { timeout: 240_000 });
  expect((await readStore(page)).records).toHaveLength(3);

  // The loaded model is not deleted under the engine; after a reload it is, and is gone.
  page.on('dialog', (d) => void d.accept());
  const downloaded = page.getByText(/Downloaded GGUF models \(\d\)/);
  await downloaded.click();
  await page.getByTestId('downloaded-gguf').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('alert')).toContainText('tiny-split.gguf is loaded.');
  await expect(page.getByTestId('downloaded-gguf')).toContainText(first);
  await page.reload();
  await chooseGgufEngine(page);
  await downloaded.click();
  await page.getByTestId('downloaded-gguf').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Downloaded GGUF models (0)')).toBeVisible();
  await expect(page.getByTestId('downloaded-gguf')).toHaveCount(0);
});
