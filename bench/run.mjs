// `npm run bench`: starts the dev server, opens each benchmark page in headless
// Chromium and prints the figures. Figures are printed, never asserted.
import { chromium } from '@playwright/test';
import { createServer } from 'vite';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

const server = await createServer({ logLevel: 'warn', server: { port: 5199, strictPort: false } });
await server.listen();
const base = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  for (const concurrency of [1, 8]) {
    await page.goto(`${base}bench/pipeline.html?pairs=5000&concurrency=${concurrency}`);
    const r = await page
      .waitForFunction(() => globalThis.benchResult, undefined, { timeout: 300_000 })
      .then((h) => h.jsonValue());
    console.log(
      `pipeline overhead (worker + cleaning + IndexedDB, instant engine, ${r.concurrency} in flight): ` +
        `${r.pairs} pairs in ${r.seconds.toFixed(2)} s = ${r.pairsPerSecond.toFixed(0)} pairs/s (aim: >= 500)`,
    );
  }
} finally {
  await browser.close();
  await server.close();
}
