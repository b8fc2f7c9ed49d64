/** The GGUF engine's steps the browser tests share: the tiny model, chosen and loaded on the CPU. */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Page } from '@playwright/test';

/** The worker's first answers (its start, wllama's import) on a 2-core machine shared by many runs. */
export const SLOW = 60_000;

/** Writes the tiny ChatML model (scripts/make-tiny-gguf.mjs) into `dir`; returns its path. */
export function writeTinyGguf(dir: string, ...args: string[]): string {
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, 'tiny-chatml.gguf');
  execFileSync('node', ['scripts/make-tiny-gguf.mjs', file, ...args]);
  return file;
}

/** The status line naming the loaded model and where it runs. */
export const connectedStatus = (page: Page) =>
  page.getByRole('status').filter({ hasText: 'Connected to' });

/** The GGUF engine's tab, with GPU offload on (WebGPU must be there) or off. */
export async function chooseGgufEngine(page: Page, { gpu = false } = {}) {
  await page.getByRole('tab', { name: 'GGUF (llama.cpp)' }).click();
  const offload = page.getByLabel('GPU offload (WebGPU)');
  if (gpu) {
    await expect(offload).toBeEnabled();
    await offload.check();
  } else if (await offload.isChecked()) await offload.uncheck();
}

/** Opens the file through the picker and loads it on one CPU thread, with GPU offload if asked. */
export async function loadTiny(page: Page, file: string, { gpu = false } = {}) {
  await chooseGgufEngine(page, { gpu });
  await page.getByLabel(/GGUF file/).setInputFiles(file);
  await expect(page.getByTestId('gguf-facts')).toContainText('llama', { timeout: SLOW });
  await page.getByRole('button', { name: 'Load file' }).click();
  await expect(connectedStatus(page)).toContainText(
    `tiny-chatml.gguf on ${gpu ? 'WebGPU and ' : ''}1 CPU thread`,
    { timeout: 120_000 },
  );
}
