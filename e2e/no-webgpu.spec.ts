import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';

// A browser launched without --enable-unsafe-webgpu: Chromium then has no WebGPU adapter.
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu'),
  },
});

test('without WebGPU the page explains that this browser cannot run models, and offers the server', async ({
  page,
}) => {
  await page.goto('/');
  const status = page.getByLabel('WebGPU status');
  await expect(status).toContainText('found no usable GPU');
  // Chromium on Linux: the hint names the flag this browser needs.
  await expect(status).toContainText('chrome://flags/#enable-unsafe-webgpu');
  await expect(status).toContainText('completion server');
  await expect(page.getByRole('button', { name: 'Load model' })).toHaveCount(0);
});
