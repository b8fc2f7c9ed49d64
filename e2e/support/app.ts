/** What a person does in the app, as steps the browser tests share. */
import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';
import { pair } from '../../src/test-support/fixtures';
import { isProbe, type FakeOpenAIServer } from './fake-openai-server';

export async function openWithDataset(page: Page, name = 'e2e'): Promise<void> {
  await page.goto('/');
  await page.getByLabel('New dataset').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  // The new dataset, not the one the page opened on: a second call would otherwise go on
  // while the last one is still current, and the test would write into that.
  await expect(
    page.getByRole('combobox', { name: 'Current dataset' }).locator('option:checked'),
  ).toHaveText(name);
}

interface ServerForm {
  apiKey?: string;
  concurrency?: number;
  batchSize?: number;
}

/** Fills in the completion server's form and presses Connect; what follows is the test's. */
export async function tryConnecting(page: Page, baseUrl: string, opts: ServerForm = {}) {
  await page.getByRole('tab', { name: 'Completion server' }).click();
  await page.getByLabel('Server URL').fill(baseUrl);
  if (opts.apiKey !== undefined) await page.getByLabel('API key (optional)').fill(opts.apiKey);
  if (opts.concurrency !== undefined)
    await page.getByLabel('Connections').fill(String(opts.concurrency));
  if (opts.batchSize !== undefined)
    await page.getByLabel('Batch size').fill(String(opts.batchSize));
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
}

export async function expectConnected(page: Page, model: string) {
  // The page's first connect starts the generation worker (the pipeline) before the server
  // is asked: room for that on a loaded machine.
  await expect(page.getByRole('status').filter({ hasText: 'Connected to' })).toContainText(model, {
    timeout: 30_000,
  });
}

/** Connects to the test server and waits until the screen says it is connected to its model. */
export async function connect(page: Page, server: FakeOpenAIServer, opts: ServerForm = {}) {
  await tryConnecting(page, server.baseUrl, opts);
  await expectConnected(page, server.model);
}

/** Presses Generate; how the run goes is the test's to check. */
export async function pressGenerate(page: Page) {
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
}

/** Presses Generate and waits until the run has finished. */
export async function generate(page: Page, wait: { timeout?: number } = {}) {
  await pressGenerate(page);
  await expect(runStatus(page)).toHaveText(/Run finished/, wait);
}

/** Presses Resume on the interrupted, stopped or failed run and waits until it has finished. */
export async function resume(page: Page, wait: { timeout?: number } = {}) {
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(runStatus(page)).toHaveText(/Run finished/, wait);
}

/** In the Quality view, has the connected model tag the untagged records; waits for the end. */
export async function tagUntagged(page: Page) {
  await page.getByRole('button', { name: 'Tag untagged records' }).click();
  await expect(page.getByTestId('judge-status')).toHaveText(/Tagging finished/, {
    timeout: 30_000,
  });
}

/** Switches to one of the app's views with its tab. */
export async function openView(
  page: Page,
  name: 'Generate' | 'Explore' | 'Quality' | 'Export & import' | 'Map',
) {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();
}

export async function setPairs(page: Page, n: number) {
  await page.getByLabel('Pairs to make').fill(String(n));
}

/** Unfolds the Generate view's sampling and cleaning settings (they wait folded). */
export async function openSampling(page: Page) {
  const details = page.locator('details', {
    has: page.locator('summary', { hasText: 'Sampling and cleaning' }),
  });
  if (!(await details.evaluate((d: HTMLDetailsElement) => d.open)))
    await details.locator('summary').click();
}

export function recordCount(page: Page) {
  return page.getByTestId('record-count');
}

export function runStatus(page: Page) {
  return page.getByTestId('run-status');
}

/** The current dataset's id, as the app keeps it. */
export function currentDatasetId(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('magpie.dataset')!) as string);
}

/**
 * Writes records straight into the app's IndexedDB, as a finished run or import leaves them:
 * with the change stamp the store puts on every write, which the dataset worker follows (a
 * record without one is seen only by a first full read, and the worker may have read the
 * dataset already).
 */
export async function seedRecords(page: Page, records: object[]): Promise<void> {
  const stamped = records.map((r) => ({ changedAt: Date.now() + Math.random() * 0.9, ...r }));
  await page.evaluate(async (rows) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('magpie-studio');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('records', 'readwrite');
      for (const r of rows) tx.objectStore('records').put(r);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, stamped);
}

/**
 * One imported pair per instruction in the current dataset, a second apart in this order,
 * each with a short made-up response; the page is reloaded so it reads them.
 */
export async function seedInstructions(page: Page, instructions: string[], words = 12) {
  const datasetId = await currentDatasetId(page);
  await seedRecords(
    page,
    instructions.map((instruction, i) =>
      pair(datasetId, 'imported', {
        instruction,
        response: `Answer ${i}: ${'details '.repeat(words)}`,
        createdAt: 1_700_000_000_000 + i * 1000,
      }),
    ),
  );
  await page.reload();
}

/** Every stored record and run, read straight from IndexedDB as the app left them. */
export async function readStore(
  page: Page,
): Promise<{ records: StoredRecord[]; runs: StoredRun[] }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('magpie-studio');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const all = (store: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    // What is written about a record later lives in recordDerived, or for a pass over
    // thousands of records in derivedPacks (src/store/derived.ts): read each record as the
    // app does, overlaid with the newer of its row and pack entry (null clears a field;
    // the app's near-duplicate values, the dataset's default choice).
    type State = {
      uuid: string;
      changedAt: number;
      recordAt?: number;
      fields: Record<string, unknown>;
      nearDup?: Record<string, unknown>;
    };
    const derived = db.objectStoreNames.contains('recordDerived')
      ? ((await all('recordDerived')) as State[])
      : [];
    const packs = db.objectStoreNames.contains('derivedPacks')
      ? ((await all('derivedPacks')) as {
          changedAt: number;
          uuids: string[];
          recordAt: Float64Array;
          fields: string[];
          distance: Float64Array;
          repeat: Uint32Array;
          similar: string[];
        }[])
      : [];
    const entries: State[] = packs.flatMap((p) =>
      p.uuids.map((uuid, i) => ({
        uuid,
        changedAt: p.changedAt,
        recordAt: p.recordAt[i],
        fields: p.fields[i] ? (JSON.parse(p.fields[i]) as Record<string, unknown>) : {},
        nearDup: {
          min_neighbor_distance: p.distance[i],
          repeat_count: p.repeat[i],
          min_similar_uuid: p.similar[i] || uuid,
        },
      })),
    );

    // Imported records are stored packed (src/store/packs.ts): JSON lines, UTF-8.
    const packed = db.objectStoreNames.contains('packBodies')
      ? ((await all('packBodies')) as { bytes: Uint8Array }[]).flatMap((b) =>
          new TextDecoder()
            .decode(b.bytes)
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Record<string, unknown>),
        )
      : [];
    const stored = [...((await all('records')) as Record<string, unknown>[]), ...packed];
    // A pack entry holds only for the record it was written about (by createdAt).
    const createdAt = new Map(stored.map((r) => [r.uuid as string, r.createdAt as number]));
    const byUuid = new Map<string, State>();
    for (const d of [...derived, ...entries]) {
      if (d.recordAt !== undefined && d.recordAt !== createdAt.get(d.uuid)) continue;
      const held = byUuid.get(d.uuid);
      if (!held || d.changedAt > held.changedAt) byUuid.set(d.uuid, d);
    }
    const records = stored.map((r) => {
      const d = byUuid.get(r.uuid as string);
      if (!d) return r;
      const out: Record<string, unknown> = { ...r };
      for (const [k, v] of Object.entries(d.fields)) {
        if (v === null || v === undefined) delete out[k];
        else out[k] = v;
      }
      if (d.nearDup)
        for (const k of ['min_neighbor_distance', 'repeat_count', 'min_similar_uuid'])
          out[k] = d.nearDup[k];
      return out;
    });
    const result = {
      records: records as unknown as StoredRecord[],
      runs: (await all('runs')) as StoredRun[],
    };
    db.close();
    return result;
  });
}

export interface StoredRecord {
  uuid: string;
  instruction: string;
  response: string;
  model: string;
  runId: string;
  createdAt: number;
  /** Detected by the cheap tags ('' when it cannot be told). */
  language: string;
  gen_input_configs: { pre_query_template: string; seed: number };
}

export interface StoredRun {
  id: string;
  status: string;
  made: number;
  attempts: number;
  error?: { message: string };
}

/** Every sample the test server answered (a batch carries several), its connection probe aside. */
export function completionSamples(s: FakeOpenAIServer) {
  return s.answered.filter((a) => !isProbe(a));
}

/** The JSON bodies the test server was sent at `path` (POST), in order. */
export function postedBodies<T>(s: FakeOpenAIServer, path: string): T[] {
  return s.requests.filter((r) => r.method === 'POST' && r.path === path).map((r) => r.body as T);
}

/** The prompt of every sample the test server answered, probe aside. */
export function completionPrompts(s: FakeOpenAIServer): string[] {
  return completionSamples(s).map((a) => a.prompt);
}

/**
 * Exports the whole dataset in `formatLabel` as a download (the page reloads without the File
 * System Access API, as in a browser that lacks it) and answers the file's parsed lines.
 */
export async function exportWholeDataset(page: Page, formatLabel: string): Promise<unknown[]> {
  await withoutSavePicker(page);
  await page.reload();
  return (await downloadWholeDataset(page, formatLabel))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);
}

/** From the next load on, the page has no save dialog (File System Access): exports download. */
export async function withoutSavePicker(page: Page): Promise<void> {
  await page.addInitScript(() => {
    delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
  });
}

/** Exports the whole dataset in `formatLabel` from this page as a download: the file's bytes. */
export async function downloadWholeDataset(page: Page, formatLabel: string): Promise<Buffer> {
  await page.getByRole('link', { name: 'Export & import' }).click();
  await page.getByLabel('The whole dataset (every status)').check();
  await page.getByLabel(formatLabel).check();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSONL' }).click();
  return readFile((await (await downloading).path())!);
}

/** Every row of one IndexedDB store of the app's database, as stored. */
export function storeRows<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('magpie-studio');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      const req = db.transaction(name).objectStore(name).getAll();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    db.close();
    return rows;
  }, store) as Promise<T[]>;
}
