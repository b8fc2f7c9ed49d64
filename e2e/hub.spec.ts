import { expect, test, type Page } from '@playwright/test';
import { parquetReadObjects } from 'hyparquet';
import type { PairRecord } from '../src/shared/record';
import { pair } from '../src/test-support/fixtures';
import { startHubStandIn, type HubStandIn, type StandInUser } from './support/hub-stand-in';
import { currentDatasetId, openWithDataset, seedRecords } from './support/app';

const USERS: Record<string, StandInUser> = {
  hf_alice_write: { name: 'alice', orgs: ['magpie-lab'], role: 'write' },
  hf_alice_read: { name: 'alice', orgs: [], role: 'read' },
  // A fine-grained token: writes under carol only, not under her organisation.
  hf_carol_fine: { name: 'carol', orgs: ['big-org'], role: 'write', writes: ['carol'] },
};

let hub: HubStandIn;
// Each test builds and sends a few exports on a shared 2-core machine.
test.describe.configure({ timeout: 120_000 });
test.beforeEach(async () => {
  hub = await startHubStandIn(USERS, [{ repo: 'alice/older-set', owner: 'alice', private: false }]);
});
test.afterEach(() => hub.close());

/** 12 records, two thirds kept (the export's default selection). */
async function seed(page: Page): Promise<PairRecord[]> {
  const datasetId = await currentDatasetId(page);
  const records = Array.from({ length: 12 }, (_, i) =>
    pair(datasetId, 'run-hub', {
      createdAt: Date.UTC(2025, 0, 1) + i,
      instruction: `Explain idea number ${i}?`,
      response: `Idea ${i} is simple.`,
      review: i % 3 === 2 ? 'rejected' : 'kept',
    }),
  );
  await seedRecords(page, records);
  return records.filter((r) => r.review === 'kept');
}

async function signIn(page: Page, token: string) {
  await page.getByRole('link', { name: 'Export & import' }).click();
  await page.getByLabel('The Hugging Face Hub').check();
  await page.getByText('Hub address', { exact: true }).click();
  await page.getByLabel('Hub URL').fill(hub.url);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('pushes the kept pairs as Parquet with their card to a new private repository, in one commit', async ({
  page,
}) => {
  await openWithDataset(page, 'Hub push');
  const kept = await seed(page);

  await signIn(page, 'hf_mistyped');
  await expect(page.getByRole('alert')).toContainText('The Hub refused this token.');

  await page.getByLabel('Access token').fill('hf_alice_write');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Signed in to the Hub as alice.')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByLabel(/^Parquet/).check();
  await page.getByLabel('ShareGPT (conversations: from / value)').check();
  await expect(page.getByLabel('Owner')).toHaveValue('alice');
  await expect(page.getByLabel('Repository name')).toHaveValue('hub-push');
  await expect(page.getByLabel(/^Private/)).toBeChecked();
  await page.getByRole('button', { name: 'Push to the Hub' }).click();

  const result = page.getByTestId('hub-result');
  // Export, hashing and upload: generous on a loaded 2-core machine.
  await expect(result).toHaveText(
    `Pushed ${kept.length} rows and the dataset card to alice/hub-push (the commit).`,
    { timeout: 45_000 },
  );
  await expect(result.getByRole('link', { name: 'alice/hub-push' })).toHaveAttribute(
    'href',
    `${hub.url}/datasets/alice/hub-push`,
  );

  // What the Hub received: a private dataset repository, then one commit with both files.
  expect(hub.createRequests).toEqual([
    expect.objectContaining({
      name: 'hub-push',
      organization: 'alice',
      type: 'dataset',
      visibility: 'private',
    }),
  ]);
  const repo = hub.repos.get('alice/hub-push')!;
  expect(repo.private).toBe(true);
  expect(repo.commits).toHaveLength(1);
  expect(repo.commits[0]!.paths.sort()).toEqual(['README.md', 'hub-push-sharegpt.parquet']);
  expect(repo.commits[0]!.lfsPaths).toEqual(['hub-push-sharegpt.parquet']);
  const parquet = repo.files.get('hub-push-sharegpt.parquet')!;
  const file = new Uint8Array(parquet).buffer;
  expect(await parquetReadObjects({ file })).toEqual(
    kept.map((r) => ({
      conversations: [
        { from: 'human', value: r.instruction },
        { from: 'gpt', value: r.response },
      ],
    })),
  );
  const card = repo.files.get('README.md')!.toString('utf8');
  expect(card).toMatch(new RegExp(`^---\\n[\\s\\S]*num_examples: ${kept.length}\\n`));
  expect(card).toContain('path: "hub-push-sharegpt.parquet"');

  // The token was held in memory only.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  expect(stored).not.toContain('hf_alice_write');

  // The same name again: taken.
  await page.getByRole('button', { name: 'Push to the Hub' }).click();
  await expect(page.getByRole('alert')).toContainText('The name alice/hub-push is taken.');
});

test('adds to an existing dataset; a read token, a token without rights and a lost network are told apart', async ({
  page,
}) => {
  await openWithDataset(page, 'Hub errors');
  const kept = await seed(page);

  await signIn(page, 'hf_alice_read');
  await expect(page.getByRole('alert')).toContainText('This token can only read.');
  await expect(page.getByRole('button', { name: 'Push to the Hub' })).toBeDisabled();

  await page.getByLabel('Access token').fill('hf_alice_write');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('One of my datasets').check();
  await expect(page.getByLabel('Dataset on the Hub')).toHaveValue('alice/older-set');
  await page.getByRole('button', { name: 'Push to the Hub' }).click();
  await expect(page.getByTestId('hub-result')).toContainText(
    `Pushed ${kept.length} rows and the dataset card to alice/older-set`,
    { timeout: 45_000 },
  );
  expect(hub.createRequests).toEqual([]);
  const older = hub.repos.get('alice/older-set')!;
  expect(older.private).toBe(false);
  expect(older.commits.map((c) => c.paths.sort())).toEqual([
    ['README.md', 'hub-errors-sharegpt.jsonl'],
  ]);
  expect(
    older.files.get('hub-errors-sharegpt.jsonl')!.toString('utf8').trim().split('\n'),
  ).toHaveLength(kept.length);

  await page.getByLabel('Access token').fill('hf_carol_fine');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Signed in to the Hub as carol.')).toBeVisible();
  await page.getByLabel('Owner').selectOption('big-org');
  await page.getByRole('button', { name: 'Push to the Hub' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'This token may not create repositories under big-org.',
  );
  expect(hub.repos.has('big-org/hub-errors')).toBe(false);

  await hub.close();
  await page.getByLabel('Owner').selectOption('carol');
  await page.getByRole('button', { name: 'Push to the Hub' }).click();
  await expect(page.getByRole('alert')).toContainText(`Cannot reach the Hub at ${hub.url}.`);
});
