import { defineConfig } from '@playwright/test';

// Browser tests run the built app (what users get) in Debian's Chromium, which has a
// real WebGPU adapter (SwiftShader) with --enable-unsafe-webgpu.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

// E2E_PORT lets several checkouts (or engineers) run the suite side by side.
const port = Number(process.env.E2E_PORT ?? 4173);
export const outDir = port === 4173 ? 'dist' : `dist-e2e-${port}`;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    ['json', { outputFile: `.test-out/playwright${port === 4173 ? '' : `-${port}`}.json` }],
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
    trace: 'retain-on-failure',
    // The production build registers a service worker; a test that does not test it should
    // not pay its install or be served from its cache (e2e/offline.spec.ts opts in).
    serviceWorkers: 'block',
  },
  webServer: {
    command: `npx vite build --logLevel warn --outDir ${outDir} && npx vite preview --outDir ${outDir} --port ${port}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
});
