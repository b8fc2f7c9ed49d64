/**
 * Installable and offline, from a sub-path: the production build served by a plain static
 * host under /sub/path/ (with the cross-origin isolation headers, as README "Hosting" asks),
 * its service worker allowed (the other specs block it).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { build } from 'vite';
import { outDir } from '../playwright.config';

test.use({ serviceWorkers: 'allow' });

const SUB_PATH = '/sub/path/';
const V2_DIR = resolve('.test-out/offline-v2');
const TINY = resolve('.test-out/offline/tiny-chatml.gguf');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
};

/** A static host serving one build (switchable: a new deploy) under SUB_PATH only. */
async function staticHost(): Promise<{ url: string; deploy(dir: string): void; server: Server }> {
  let root = resolve(outDir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
    const inside = path.startsWith(SUB_PATH) ? path.slice(SUB_PATH.length) || 'index.html' : '';
    const file = inside && !inside.includes('..') ? join(root, inside) : '';
    if (!file || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'credentialless',
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${SUB_PATH}`,
    deploy: (dir) => void (root = resolve(dir)),
    server,
  };
}

let host: Awaited<ReturnType<typeof staticHost>>;
test.beforeEach(async () => {
  host = await staticHost();
});
test.afterEach(() => new Promise<void>((done) => host.server.close(() => done())));

/** The first visit's service worker has installed (its precache filled) and took the page. */
async function serviceWorkerControls(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 60_000,
  });
}

const NOTES = Array.from({ length: 6 }, (_, i) =>
  JSON.stringify({
    conversations: [
      { from: 'human', value: `Offline question ${i}?` },
      { from: 'gpt', value: `Offline answer ${i}.` },
    ],
  }),
).join('\n');

test('after the first visit the app opens, and shows a stored dataset, with the network cut', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  // Installable: the page names its manifest; it names the app, its colours and PNG icons
  // the host serves.
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href;
    const json = (await (await fetch(href)).json()) as {
      name: string;
      theme_color: string;
      background_color: string;
      start_url: string;
      icons: { src: string; sizes: string; type: string }[];
    };
    const icons = await Promise.all(
      json.icons.map(async (icon) => {
        const res = await fetch(new URL(icon.src, href));
        return `${icon.sizes} ${res.status} ${res.headers.get('content-type')}`;
      }),
    );
    return { ...json, icons };
  });
  expect(manifest).toMatchObject({
    name: 'Magpie Studio',
    theme_color: '#2f5bd3',
    background_color: '#f4f5f8',
    start_url: './',
  });
  expect(manifest.icons).toEqual([
    'any 200 image/svg+xml',
    '192x192 200 image/png',
    '512x512 200 image/png',
  ]);

  await serviceWorkerControls(page);

  // A small dataset, imported as a user would (the import and dataset workers run).
  await page.getByRole('link', { name: 'Export & import' }).click();
  await page.getByLabel('Choose a file').setInputFiles({
    name: 'offline-notes.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(NOTES),
  });
  // The import worker's first start, fetched through the service worker on a loaded machine.
  await expect(page.getByTestId('import-detected')).toContainText('looks like ShareGPT', {
    timeout: 60_000,
  });
  await page.getByLabel('Into a new dataset').check();
  await page.getByLabel('New dataset name').fill('Offline notes');
  await page.getByRole('button', { name: 'Import as ShareGPT' }).click();
  await expect(page.getByTestId('import-imported')).toHaveText('6');
  await page.getByRole('combobox', { name: 'Current' }).selectOption({ label: 'Offline notes' });
  const views = page.getByRole('navigation', { name: 'Views' });
  await views.getByRole('link', { name: 'Explore' }).click();
  await expect(page.getByTestId('view-count')).toContainText('6 of 6');

  await context.setOffline(true);
  const reachable = await page.evaluate(() =>
    fetch(`./?probe=${Date.now()}`).then(
      () => 'reached',
      () => 'network error',
    ),
  );
  expect(reachable).toBe('network error');

  await page.reload();
  await expect(views).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Current' })).toHaveValue(/.+/);
  await expect(
    page.getByRole('combobox', { name: 'Current' }).locator('option:checked'),
  ).toHaveText('Offline notes');
  await expect(page.getByTestId('view-count')).toContainText('6 of 6');
  await expect(page.getByRole('row').filter({ hasText: 'Offline question 5?' })).toBeVisible();
  // The cached page keeps the host's isolation headers (llama.cpp's threads need them).
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test('a new deploy is offered, not forced: the page keeps running until the user reloads', async ({
  page,
}) => {
  test.setTimeout(300_000);
  // The next version: the same sources built again with one visible difference, as a deploy.
  await build({
    logLevel: 'error',
    build: { outDir: V2_DIR, emptyOutDir: true, sourcemap: false },
    plugins: [
      {
        name: 'second-version',
        transformIndexHtml: (html) =>
          html.replace('</head>', '<meta name="magpie-build" content="v2"></head>'),
      },
    ],
  });
  const version = () =>
    page.evaluate(
      () => document.querySelector('meta[name="magpie-build"]')?.getAttribute('content') ?? 'v1',
    );

  await page.goto(host.url);
  await serviceWorkerControls(page);
  await expect(page.getByText('A new version of Magpie Studio is ready.')).toHaveCount(0);

  host.deploy(V2_DIR);
  await page.reload();
  // The old version still runs; the new one waits and is offered.
  await expect(page.getByText('A new version of Magpie Studio is ready.')).toBeVisible({
    timeout: 60_000,
  });
  expect(await version()).toBe('v1');
  await page.getByRole('button', { name: 'Later' }).click();
  await expect(page.getByText('A new version of Magpie Studio is ready.')).toHaveCount(0);
  expect(await version()).toBe('v1');

  await page.reload();
  await expect(page.getByText('A new version of Magpie Studio is ready.')).toBeVisible({
    timeout: 60_000,
  });
  // The page reloads itself once the new worker has taken over.
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Reload to update' }).click();
  await reloaded;
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
  expect(await version()).toBe('v2');
  await expect(page.getByText('A new version of Magpie Studio is ready.')).toHaveCount(0);
});

test("from a sub-path the workers and llama.cpp's wasm load, cross-origin isolated", async ({
  page,
}) => {
  test.setTimeout(300_000);
  // Every file the build refers to is named relative to where it is served from.
  const files = readdirSync(resolve(outDir), { recursive: true, encoding: 'utf8' }).filter((f) =>
    /\.(html|js|css|webmanifest)$/.test(f),
  );
  expect(files.length).toBeGreaterThan(10);
  for (const f of files) {
    const text = readFileSync(join(outDir, f), 'utf8');
    expect(text.match(/["'`(]\/assets\//g), f).toBeNull();
  }

  mkdirSync(resolve(TINY, '..'), { recursive: true });
  execFileSync('node', ['scripts/make-tiny-gguf.mjs', TINY]);
  await page.goto(host.url);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByRole('tab', { name: 'GGUF (llama.cpp)' }).click();
  const gpu = page.getByLabel('GPU offload (WebGPU)');
  if (await gpu.isChecked()) await gpu.uncheck();
  await page.getByLabel(/GGUF file/).setInputFiles(TINY);
  await expect(page.getByTestId('gguf-facts')).toContainText('llama', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Load file' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Connected to' })).toContainText(
    'tiny-chatml.gguf on 1 CPU thread',
    { timeout: 120_000 },
  );
});
