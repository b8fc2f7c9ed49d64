// What the benchmark runner (bench/run.mjs) and the export profiler
// (scripts/profile-export.mjs) share: the app's sources served by Vite as production code,
// headless Chromium with the same flags, and a page's result read back.
import { chromium } from '@playwright/test';
import { createServer } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
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

/**
 * The app's sources on a Vite server: production React and libraries (the development
 * builds are several times slower and would measure checks the shipped app does not run),
 * in a cache of their own for that mode. `strictPort` for callers whose data outlives the
 * server (IndexedDB is kept per origin, port included: another port finds nothing).
 */
export async function serveApp({ port, strictPort = false }) {
  process.env.NODE_ENV = 'production';
  const server = await createServer({
    mode: 'production',
    logLevel: 'warn',
    cacheDir: 'node_modules/.vite-bench',
    // No watching: an edit while a long benchmark runs must not reload its page mid-way.
    server: { port, strictPort, hmr: false, watch: null },
  });
  await server.listen();
  return { server, base: server.resolvedUrls.local[0] };
}

/** A browser context whose data lives on disk in `dir`, as a user's browser keeps it. */
export function onDiskContext(dir, { args = [], viewport } = {}) {
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, ...args],
    viewport,
  });
}

/** Loads `url` and waits for the page's `window.benchResult` ({ lines, next? }). */
export async function pageResult(page, url, timeoutMs) {
  await page.goto(url);
  const handle = await page.waitForFunction(() => globalThis.benchResult, undefined, {
    timeout: timeoutMs,
    polling: 500,
  });
  return handle.jsonValue();
}
