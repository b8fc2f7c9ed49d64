import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Cross-origin isolation lets llama.cpp (the GGUF engine) run on several threads
// (SharedArrayBuffer). require-corp rather than credentialless: Safari isolates only with
// require-corp, and the app's cross-origin requests (completion servers, model hosts) are
// CORS fetches, which COEP lets through either way.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
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
