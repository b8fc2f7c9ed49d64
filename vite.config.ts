import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';

// Cross-origin isolation lets llama.cpp (the GGUF engine) run on several threads
// (SharedArrayBuffer). credentialless rather than require-corp: the CORS diagnosis of a
// completion server sends a no-cors request, which require-corp blocks (README, Hosting).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

/**
 * The app shell is what the built index.html loads (the entry chunk, its static imports and
 * its CSS), the dataset worker (SHELL_WORKER), the icons and the manifest. Only that is
 * precached, so installing the service worker costs one page's worth of files; the lazily
 * loaded views, the other workers and the engine
 * libraries are kept in a runtime cache the first time they are fetched (hashed names, so
 * cache-first is safe). The list is read from the built index.html, not from chunk names.
 */
/**
 * The dataset worker is part of the shell: the first view starts it at once (the record
 * count), usually before the first visit's service worker has taken the page, and a fetch
 * made then bypasses the runtime cache, so a page reloaded offline could not start it.
 */
const SHELL_WORKER = /^assets\/dataset\.worker-[\w-]+\.js$/;

function appShell(): { plugin: Plugin; isShell: (url: string) => boolean } {
  let outDir = 'dist';
  let shell: Set<string> | undefined;
  const plugin: Plugin = {
    name: 'magpie-app-shell',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
  };
  const isShell = (url: string) => {
    shell ??= new Set(
      [
        ...readFileSync(resolve(outDir, 'index.html'), 'utf8').matchAll(
          /(?:src|href)="\.\/([^"]+)"/g,
        ),
      ].map((m) => m[1]!),
    );
    return (
      url === 'index.html' ||
      shell.has(url) ||
      SHELL_WORKER.test(url) ||
      /^[^/]+\.(svg|png|webmanifest)$/.test(url)
    );
  };
  return { plugin, isShell };
}

const shell = appShell();

export default defineConfig({
  // Relative asset URLs: the built site works from any sub-path (README: Hosting).
  base: './',
  plugins: [
    react(),
    shell.plugin,
    VitePWA({
      // A new version waits until the user takes it (UpdatePrompt), never mid-run.
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Magpie Studio',
        short_name: 'Magpie',
        description: 'Instruction-tuning data from an aligned model, made in your browser.',
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: '#2f5bd3',
        background_color: '#f4f5f8',
        icons: [
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
        ],
      },
      workbox: {
        globPatterns: ['index.html', 'assets/*.{js,css}'],
        // Workbox checks sizes before the shell filter below drops the engine libraries.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        manifestTransforms: [
          (entries) => ({ manifest: entries.filter((e) => shell.isShell(e.url)), warnings: [] }),
        ],
        navigateFallback: 'index.html',
        // The first visit's service worker takes the page at once, so the views and workers
        // that visit opens are kept for the next one offline. An update still waits (prompt).
        clientsClaim: true,
        // JSON: WebLLM's model list, which the page reads as data (features/model).
        runtimeCaching: [
          {
            urlPattern: ({ sameOrigin, url }) =>
              sameOrigin && /\/assets\/[^/]+\.(js|css|wasm|json)$/.test(url.pathname),
            handler: 'CacheFirst',
            options: {
              cacheName: 'magpie-code',
              // Old versions' chunks leave as new ones arrive.
              expiration: { maxEntries: 200, purgeOnQuotaError: true },
            },
          },
        ],
      },
    }),
  ],
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: isolation },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: isolation },
  build: { target: 'es2022', sourcemap: true },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['fake-indexeddb/auto'],
    // A hang guard, not a speed check: IndexedDB-heavy tests on a loaded 2-core machine
    // can exceed Vitest's 5 s default without anything being wrong.
    testTimeout: 30_000,
  },
});
