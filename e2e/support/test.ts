/**
 * Playwright's `test` with the fake completion server as a fixture: `startServer` starts one
 * (on 127.0.0.1, see fake-openai-server.ts) and every server a test started is closed after
 * it, whether it passed or not.
 */
import { test as base } from '@playwright/test';
import {
  startFakeOpenAIServer,
  type FakeOpenAIServer,
  type FakeServerOptions,
} from './fake-openai-server';

export const test = base.extend<{
  startServer: (opts?: FakeServerOptions) => Promise<FakeOpenAIServer>;
}>({
  // Playwright reads a fixture's dependencies from this pattern: this one has none.
  // eslint-disable-next-line no-empty-pattern
  startServer: async ({}, provide) => {
    const started: FakeOpenAIServer[] = [];
    await provide(async (opts) => {
      const server = await startFakeOpenAIServer(opts);
      started.push(server);
      return server;
    });
    await Promise.all(started.map((s) => s.close()));
  },
});

export { expect } from '@playwright/test';
