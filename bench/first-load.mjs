// `npm run bench -- first-load`: the production build as a first-time visitor gets it.
// Builds the app, serves the build (vite preview), opens it in a fresh headless Chromium
// profile and prints the JavaScript the first load fetched (gzipped, as a server would send
// it; JSON data apart) and the time to interactive: the later of the first view being drawn
// and the end of the last long task (> 50 ms) before 2 s of quiet. Then it presses Connect
// against a local test server and prints the time until the page says it is connected (the
// first Connect starts the generation worker) and the JavaScript that Connect fetched.
// Figures are printed, never asserted.
import { gzipSync } from 'node:zlib';
import { build, preview } from 'vite';

const OUT = '.test-out/first-load-dist';
const QUIET_MS = 2000;
const RUNS = 3;

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** One visit with an empty profile: what it fetched and when it became usable. */
async function visit(browser, url, connectTo) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const scripts = new Map();
  page.on('response', async (response) => {
    if (!/\.(m?js|json)(\?|$)/.test(response.url())) return;
    const body = await response.body().catch(() => undefined);
    if (body) scripts.set(new URL(response.url()).pathname, gzipSync(body).length);
  });
  await page.addInitScript(() => {
    const w = /** @type {any} */ (globalThis);
    w.__longTaskEnds = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTaskEnds.push(e.startTime + e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
  // The first view is drawn: the tabs and the Generate view's first heading.
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
  await page.locator('main h2').first().waitFor();
  const drawnAt = await page.evaluate(() => performance.now());
  // Wait for QUIET_MS without a new long task.
  let seen = -1;
  for (;;) {
    const ends = await page.evaluate(() => /** @type {any} */ (globalThis).__longTaskEnds.length);
    if (ends === seen) break;
    seen = ends;
    await page.waitForTimeout(QUIET_MS);
  }
  const lastLongTask = await page.evaluate(() =>
    Math.max(0, .../** @type {any} */ (globalThis).__longTaskEnds),
  );
  const fcp = await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
  );
  const atLoad = new Map(scripts);
  await page.getByRole('tab', { name: 'Completion server' }).click();
  await page.getByLabel('Server URL').fill(connectTo.baseUrl);
  const pressed = Date.now();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Connected to ${connectTo.model}` })
    .waitFor({ timeout: 60_000 });
  const connectMs = Date.now() - pressed;
  const forConnect = [...scripts].filter(([path]) => !atLoad.has(path));
  await context.close();
  return { scripts: atLoad, tti: Math.max(drawnAt, lastLongTask), fcp, connectMs, forConnect };
}

/** `connectTo`: a local test completion server ({ baseUrl, model }) to press Connect against. */
export async function firstLoad(browser, connectTo) {
  console.log('\n# first load (production build, empty profile)');
  await build({ logLevel: 'error', build: { outDir: OUT, emptyOutDir: true, sourcemap: false } });
  const server = await preview({
    logLevel: 'warn',
    build: { outDir: OUT },
    preview: { port: 5198, strictPort: false },
  });
  try {
    const url = server.resolvedUrls.local[0];
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await visit(browser, url, connectTo));
    const { scripts } = runs[0];
    const isWorker = (path) => /\.worker[-.]/.test(path);
    const isData = (path) => path.endsWith('.json');
    const pageJs = [...scripts].filter(([p]) => !isWorker(p) && !isData(p));
    const workerJs = [...scripts].filter(([p]) => isWorker(p));
    const data = [...scripts].filter(([p]) => isData(p));
    const sum = (list) => list.reduce((s, [, n]) => s + n, 0);
    console.log(
      `first-load JavaScript, gzipped: ${kb(sum(pageJs))} on the page in ${pageJs.length} files` +
        (workerJs.length
          ? `, plus ${kb(sum(workerJs))} in ${workerJs.length} workers started at load`
          : '') +
        (data.length ? `, plus ${kb(sum(data))} of JSON data in ${data.length} files` : '') +
        ' (aim <= 250 KB)',
    );
    for (const [path, size] of [...scripts].sort((a, b) => b[1] - a[1]).slice(0, 8))
      console.log(`  ${kb(size).padStart(9)}  ${path}`);
    const ttis = runs.map((r) => r.tti.toFixed(0)).join(', ');
    const fcps = runs.map((r) => r.fcp.toFixed(0)).join(', ');
    console.log(
      `time to interactive: ${ttis} ms; first contentful paint: ${fcps} ms (${RUNS} visits, empty profiles)`,
    );
    const { forConnect } = runs[0];
    console.log(
      `first Connect (local test server), pressed to connected: ${runs.map((r) => r.connectMs).join(', ')} ms; ` +
        `it fetched ${kb(sum(forConnect))} of JavaScript, gzipped, in ${forConnect.length} files`,
    );
    for (const [path, size] of forConnect.sort((a, b) => b[1] - a[1]).slice(0, 4))
      console.log(`  ${kb(size).padStart(9)}  ${path}`);
  } finally {
    await new Promise((resolve) => server.httpServer.close(resolve));
  }
}
