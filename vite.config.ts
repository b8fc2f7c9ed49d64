import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Cross-origin isolation lets llama.cpp (the GGUF engine) run on several threads
// (SharedArrayBuffer). credentialless rather than require-corp: the CORS diagnosis of a
// completion server sends a no-cors request, which require-corp blocks (README, Hosting).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

export default defineConfig({
  plugins: [react()],
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
