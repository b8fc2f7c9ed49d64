// `npm run bench`: serves the app's sources (Vite dev server), opens every benchmark
// page bench/*.html in headless Chromium, and prints the lines each page reports
// (window.benchResult = { lines: string[] }). Figures are printed, never asserted.
// `npm run bench -- explorer` runs only the pages whose name contains "explorer".
// A page may run in phases: a result with `next` (a query string) has the runner load the
// page again with it, in the same browser profile, each load with its own time limit.
import { chromium } from '@playwright/test';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTinyGguf } from '../scripts/make-tiny-gguf.mjs';
import { cpuMarks } from './cpu.mjs';
import { firstLoad } from './first-load.mjs';
import { CHROMIUM, CHROMIUM_ARGS, onDiskContext, pageResult, serveApp } from './serve.mjs';

const only = process.argv[2];
// Pages whose data outlives a page load (phases) get an on-disk profile of their own: the
// dataset engine's 300,000 records and exports would otherwise sit in memory (an incognito
// context keeps IndexedDB in RAM), and on disk is how a user's browser stores them.
const ON_DISK = new Set(['engine.html']);
const PAGE_LIMIT_MS = 30 * 60_000;
const firstLoadWanted = !only || 'first-load'.includes(only);
const pages = readdirSync('bench')
  .filter((f) => f.endsWith('.html') && (!only || f.includes(only)))
  .sort();

// The GGUF page runs a tiny model written here, never downloaded.
if (pages.some((f) => f.includes('gguf'))) {
  mkdirSync('.test-out', { recursive: true });
  writeFileSync('.test-out/bench-tiny.gguf', makeTinyGguf());
}

const { server, base } = await serveApp({ port: 5199 });

// The server-engine page runs against local test servers with a fixed latency and no limit
// on concurrent requests: one that takes batches (as vLLM) and one that refuses them (as Ollama).
const queries = {};
const fakes = [];
if (pages.includes('server.html')) {
  const load = (path) => server.ssrLoadModule(path);
  const { startFakeOpenAIServer } = await load('/e2e/support/fake-openai-server.ts');
  const { CHATML } = await load('/src/test-support/fixtures.ts');
  const { instructionPrompt } = await load('/src/shared/template.ts');
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 300);
  const common = { model: 'bench/model', preQuery: instructionPrompt(CHATML), delayMs: latencyMs };
  const vllm = await startFakeOpenAIServer(common);
  const ollama = await startFakeOpenAIServer({ ...common, batching: 'none' });
  fakes.push(['vLLM-like', vllm], ['Ollama-like', ollama]);
  queries['server.html'] = `vllm=${vllm.baseUrl}&ollama=${ollama.baseUrl}&latencyMs=${latencyMs}`;
}
// The first-load page presses Connect against a test server of its own.
const connectServer = firstLoadWanted
  ? await server
      .ssrLoadModule('/e2e/support/fake-openai-server.ts')
      .then(({ startFakeOpenAIServer }) => startFakeOpenAIServer({ model: 'bench/model' }))
  : undefined;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  if (connectServer) await firstLoad(browser, connectServer);
  for (const file of pages) {
    const viewport = { width: 1400, height: 900 };
    const profile = ON_DISK.has(file) ? mkdtempSync(join(tmpdir(), 'magpie-bench-')) : undefined;
    const context = profile
      ? await onDiskContext(profile, { viewport })
      : await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`${file}: page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico'))
        console.error(`${file}: ${r.status()} for ${r.url()}`);
    });
    // Pages may report lines as they go (console.info('bench: ...')): long runs show progress.
    const shown = new Set();
    // Stretches a page marks (bench-cpu: ...) get their CPU by thread (cpu.mjs).
    const onMark = cpuMarks(profile);
    page.on('console', (m) => {
      const text = m.text();
      if (text.startsWith('bench-cpu: ')) {
        const line = onMark(text.slice(11));
        if (line) console.log(line);
        return;
      }
      // A missing resource is told by its response below, with its address.
      if (m.type() === 'error' && !text.startsWith('Failed to load resource'))
        console.error(`${file}: console error: ${text.slice(0, 500)}`);
      if (m.type() === 'info' && text.startsWith('bench: ')) {
        shown.add(text.slice(7));
        console.log(text.slice(7));
      }
    });
    console.log(`\n# ${file}`);
    const query = [queries[file], process.env.BENCH_QUERY]
      .filter(Boolean)
      .map((q) => q.replace(/^\?/, ''))
      .join('&');
    for (let phase = ''; ;) {
      const full = [query, phase].filter(Boolean).join('&');
      const started = Date.now();
      const result = await pageResult(
        page,
        `${base}bench/${file}${full ? `?${full}` : ''}`,
        PAGE_LIMIT_MS,
      );
      for (const line of result.lines) if (!shown.has(line)) console.log(line);
      // How close each load came to the limit.
      if (phase || result.next)
        console.log(
          `(page load ${phase || 'first'}: ${Math.round((Date.now() - started) / 1000)} s)`,
        );
      if (!result.next) break;
      phase = result.next;
    }
    if (file === 'server.html') {
      for (const [name, fake] of fakes) {
        console.log(
          `test server ${name}: ${fake.completions()} completion requests, at most ${fake.maxInFlight()} in flight (counted by the server)`,
        );
      }
    }
    await context.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  }
} finally {
  for (const [, fake] of fakes) await fake.close();
  await connectServer?.close();
  await browser.close();
  await server.close();
}
