// `node scripts/screenshots.mjs`: the README's screenshots, taken from the real app. Builds
// the app, serves the build, fills a dataset with sample pairs (the test fixtures' records,
// written into IndexedDB as a run leaves them), makes a few pairs against the browser tests'
// stand-in vLLM server (so Generate shows a finished run: its charts and the explainer) and
// saves one picture per view in docs/screenshots/. Run it after a change to the UI and commit
// the pictures.
import { mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { build, createServer, preview } from 'vite';

const OUT_DIR = 'docs/screenshots';
const DIST = '.test-out/screenshots-dist';

const TOPICS = [
  ['How do I reverse a linked list in Python?', 'Coding & Debugging', 'en'],
  ['What is the derivative of x^3 sin(x)?', 'Math', 'en'],
  ['Write a short poem about autumn rain.', 'Creative writing', 'en'],
  ['Explique la photosynthèse simplement.', 'Information seeking', 'fr'],
  ['Plan a three-day trip to Kyoto on a budget.', 'Planning', 'en'],
  ['Why is the sky blue?', 'Information seeking', 'en'],
];

// The fixtures are TypeScript: a Vite server in middleware mode loads them.
const loader = await createServer({
  server: { middlewareMode: true, hmr: false },
  logLevel: 'error',
});
const { pair } = await loader.ssrLoadModule('/src/test-support/fixtures.ts');
const { startFakeOpenAIServer } = await loader.ssrLoadModule('/e2e/support/fake-openai-server.ts');
await loader.close();
const QWEN_PRE =
  '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n';
const vllm = await startFakeOpenAIServer({
  model: 'Qwen/Qwen2.5-1.5B-Instruct',
  preQuery: QWEN_PRE,
});

await build({ logLevel: 'error', build: { outDir: DIST, emptyOutDir: true, sourcemap: false } });
const server = await preview({
  logLevel: 'error',
  build: { outDir: DIST },
  preview: { port: 5197, strictPort: false },
});
const base = server.resolvedUrls.local[0];
mkdirSync(OUT_DIR, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--enable-unsafe-webgpu',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await page.goto(base);
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
  await page.waitForFunction(() => localStorage.getItem('magpie.dataset'));
  const datasetId = await page.evaluate(() => JSON.parse(localStorage.getItem('magpie.dataset')));
  const records = Array.from({ length: 60 }, (_, i) => {
    const [instruction, category, language] = TOPICS[i % TOPICS.length];
    return pair(datasetId, 'run-screens', {
      createdAt: Date.UTC(2026, 0, 1) + i * 1000,
      instruction: `${instruction}${i >= TOPICS.length ? ` (${i})` : ''}`,
      response: `A careful answer to: ${instruction}`,
      task_category: category,
      language,
      review: i % 4 === 0 ? 'rejected' : i % 3 === 0 ? 'unreviewed' : 'kept',
    });
  });
  await page.evaluate(async (rows) => {
    const db = await new Promise((resolve, reject) => {
      const req = globalThis.indexedDB.open('magpie-studio');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('records', 'readwrite');
      for (const r of rows) tx.objectStore('records').put(r);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, records);
  await page.reload();
  // A finished run in the Generate view: its charts and the explainer of its last pair.
  await page.getByRole('tab', { name: 'Completion server' }).click();
  await page.getByLabel('Server URL').fill(vllm.baseUrl);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Connected to' }).waitFor();
  await page.getByLabel('Pairs to make').fill('12');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByTestId('run-status').filter({ hasText: 'Run finished' }).waitFor();
  for (const [view, label] of [
    ['generate', 'Generate'],
    ['explore', 'Explore'],
    ['quality', 'Quality'],
    ['transfer', 'Export & import'],
    ['map', 'Map'],
  ]) {
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: label })
      .click();
    await page.locator('main h2:visible').first().waitFor();
    if (view === 'explore') await page.getByRole('row').nth(3).waitFor();
    if (view === 'map') {
      await page.getByRole('button', { name: 'Compute map' }).click();
      await page.getByRole('button', { name: 'Recompute map' }).waitFor({ timeout: 120_000 });
    }
    await page.waitForTimeout(1500);
    // Generate is taller than the window once a run has finished: the page down to the
    // explainer and the runs (the record list below it goes on).
    await page.screenshot({
      path: `${OUT_DIR}/${view}.png`,
      ...(view === 'generate' && {
        fullPage: true,
        clip: { x: 0, y: 0, width: 1360, height: 1500 },
      }),
    });
    console.log(`${OUT_DIR}/${view}.png`);
  }
} finally {
  await browser.close();
  await vllm.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}
