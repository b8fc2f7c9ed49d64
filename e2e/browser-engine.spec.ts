import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { expect, test, type Page } from '@playwright/test';

const modelSelect = (page: Page) => page.locator('.browser-models select');

test('the capability panel shows what this browser’s GPU really has', async ({ page }) => {
  await page.goto('/');
  const real = await page.evaluate(async () => {
    type Adapter = { info: { architecture: string }; features: Set<string> };
    const gpu = (navigator as unknown as { gpu: { requestAdapter(): Promise<Adapter | null> } })
      .gpu;
    const adapter = await gpu.requestAdapter();
    return { architecture: adapter!.info.architecture, f16: adapter!.features.has('shader-f16') };
  });
  expect(real).toEqual({ architecture: 'swiftshader', f16: false });
  await expect(page.getByTestId('gpu-name')).toContainText('swiftshader');
  await expect(page.getByTestId('gpu-f16')).toHaveText('no');
  await expect(page.getByLabel('WebGPU status')).toContainText('software fallback');
});

test('q4f16 models are marked on a GPU without shader-f16, and their q4f32 twin is offered', async ({
  page,
}) => {
  await page.goto('/');
  const f16 = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';
  const f32 = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
  await expect(modelSelect(page)).toBeVisible();
  // The default is a model this GPU can run: an f32 build.
  await expect(modelSelect(page)).toHaveValue(/f32/);
  await expect(page.locator(`option[value="${f16}"]`)).toContainText(
    "needs shader-f16: can't run here",
  );
  await modelSelect(page).selectOption(f16);
  await expect(page.getByRole('button', { name: 'Load model' })).toBeDisabled();
  await page.getByRole('button', { name: `Use ${f32}` }).click();
  await expect(modelSelect(page)).toHaveValue(f32);
  await expect(page.getByTestId('model-facts')).toContainText('Not downloaded yet');
});

test('loading a model when the model host cannot be reached fails clearly and the app stays usable', async ({
  page,
}) => {
  await page.goto('/');
  await modelSelect(page).selectOption('SmolLM2-360M-Instruct-q4f32_1-MLC');
  await page.getByRole('button', { name: 'Load model' }).click();
  // Offline is told apart from a removed model (404), and the exception's own text is kept
  // out of the headline, under Details.
  const alert = page.getByRole('alert').filter({ hasText: 'could not be reached' });
  await expect(alert.locator('strong')).toHaveText(
    'The model host (huggingface.co) could not be reached: this browser seems to be offline, or the host is blocked.',
    { timeout: 30_000 },
  );
  await expect(alert.getByRole('group')).toContainText('Details');
  await expect(page.getByRole('button', { name: 'Load model' })).toBeEnabled();
  // Still usable: the other engine connects as before.
  await page.getByRole('tab', { name: 'Completion server' }).click();
  await expect(page.getByLabel('Server URL')).toBeEditable();
  await expect(page.getByRole('button', { name: 'Generate' })).toBeDisabled();
});

test('downloaded models are listed with their size and can be deleted', async ({ page }) => {
  const id = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
  const record = prebuiltAppConfig.model_list.find((m) => m.model_id === id)!;
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/');
  // Put a two-shard model into WebLLM's cache, laid out as WebLLM lays out a download.
  await page.evaluate(async (modelUrl) => {
    const base = `${modelUrl.replace(/\/$/, '')}/resolve/main/`;
    const cache = await caches.open('webllm/model');
    const manifest = {
      records: [
        { dataPath: 'params_shard_0.bin', nbytes: 3 << 20 },
        { dataPath: 'params_shard_1.bin', nbytes: 2 << 20 },
      ],
    };
    await cache.put(base + 'tensor-cache.json', new Response(JSON.stringify(manifest)));
    await cache.put(base + 'params_shard_0.bin', new Response(new Uint8Array(16)));
    await cache.put(base + 'params_shard_1.bin', new Response(new Uint8Array(16)));
  }, record.model);
  await page.reload();
  await page.getByText(/Downloaded models \(1\)/).click();
  await expect(page.getByTestId('downloaded-model')).toContainText(`${id} · 5 MB`);
  await expect(page.getByText(/storage used .* left/)).toBeVisible();
  await modelSelect(page).selectOption(id);
  await expect(page.getByTestId('model-facts')).toContainText(
    'Downloaded (5 MB): loads from the browser cache',
  );
  // The list and its download state are the page's own reading: the generation worker (the
  // pipeline) has not been started for them.
  expect(workers.filter((url) => url.includes('pipeline.worker'))).toEqual([]);

  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('downloaded-model').getByRole('button', { name: 'Delete' }).click();
  // The delete is WebLLM's: it starts the generation worker, which loads WebLLM's 6 MB module.
  await expect(page.getByText(/Downloaded models \(0\)/)).toBeVisible({ timeout: 60_000 });
  const left = await page.evaluate(
    async () => (await (await caches.open('webllm/model')).keys()).length,
  );
  expect(left).toBe(0);
});
