// `npm run bench`: serves the app's sources (Vite dev server), opens every benchmark
// page bench/*.html in headless Chromium, and prints the lines each page reports
// (window.benchResult = { lines: string[] }). Figures are printed, never asserted.
// `npm run bench -- explorer` runs only the pages whose name contains "explorer".
import { chromium } from '@playwright/test';
import { readdirSync } from 'node:fs';
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
  '--enable-precise-memory-info',
  '--js-flags=--expose-gc',
];
const only = process.argv[2];
const pages = readdirSync('bench')
  .filter((f) => f.endsWith('.html') && (!only || f.includes(only)))
  .sort();

const server = await createServer({ logLevel: 'warn', server: { port: 5199, strictPort: false } });
await server.listen();
const base = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  for (const file of pages) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => console.error(`${file}: page error: ${e.message}`));
    console.log(`\n# ${file}`);
    await page.goto(`${base}bench/${file}`);
    const handle = await page.waitForFunction(() => globalThis.benchResult, undefined, {
      timeout: 30 * 60_000,
      polling: 500,
    });
    const result = await handle.jsonValue();
    for (const line of result.lines) console.log(line);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
