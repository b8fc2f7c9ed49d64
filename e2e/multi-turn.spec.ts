/**
 * A 3-turn run as a user makes it: the turns setting, the prompts the server received for
 * every turn equal to the authors' recipe rendered with the run's template, the stored
 * conversations, and the explorer's turns column, facet, per-turn detail and search.
 */
import { expect, test } from '@playwright/test';
import {
  isProbe,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
} from './support/fake-openai-server';
import {
  tryConnecting,
  exportWholeDataset,
  expectConnected,
  openWithDataset,
  readStore,
  runStatus,
  setPairs,
} from './support/app';
import { documented } from '../src/formats/schemas';
import { MULTI_TURN_SYSTEM_PROMPT } from '../src/pipeline/generate-conversation';
import type { PairRecord } from '../src/shared/record';
import type { RunRecord } from '../src/shared/run';
import type { ChatTurn } from '../src/shared/template';
import { renderInstructionPrompt, renderResponsePrompt } from '../src/shared/templates/render';

const MODEL = 'Qwen/Qwen2.5-1.5B-Instruct';
const QWEN_PRE =
  '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n';

let server: FakeOpenAIServer;
test.afterEach(async () => {
  await server?.close();
});

test('a 3-turn run: every turn asked by the authors’ recipe, stored whole, and found in the explorer', async ({
  page,
}) => {
  server = await startFakeOpenAIServer({ model: MODEL, preQuery: QWEN_PRE });
  await openWithDataset(page);
  await tryConnecting(page, server.baseUrl, { concurrency: 2 });
  await expectConnected(page, MODEL);
  await setPairs(page, 3);
  await page.getByRole('radio', { name: 'Multi-turn conversations' }).check();
  await page.getByLabel('Turns per conversation').fill('3');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(runStatus(page)).toHaveText(/Run finished/);

  const store = await readStore(page);
  const records = store.records as unknown as PairRecord[];
  const run = store.runs[0] as unknown as RunRecord;
  expect(records).toHaveLength(3);
  const answered = server.answered.filter((a) => !isProbe(a));
  expect(answered).toHaveLength(3 * 6);
  for (const r of records) {
    expect(r.conversations.map((t) => t.from)).toEqual([
      'human',
      'gpt',
      'human',
      'gpt',
      'human',
      'gpt',
    ]);
    const history: ChatTurn[] = [];
    for (let k = 0; k < 3; k++) {
      const q = r.conversations[2 * k]!.value;
      const a = r.conversations[2 * k + 1]!.value;
      // Turn 1 asks with the bare pre-query; turn k >= 2 with the conversation so far under
      // the authors' multi-turn system prompt; every reply with the conversation and the question.
      const asked = renderInstructionPrompt(
        run.template,
        k === 0 ? { turns: [] } : { system: MULTI_TURN_SYSTEM_PROMPT, turns: history },
      );
      if (k === 0) expect(asked).toBe(QWEN_PRE);
      expect(answered.filter((x) => x.prompt === asked).map((x) => x.text)).toContain(q);
      const reply = renderResponsePrompt(run.template, { turns: history, instruction: q });
      expect(answered.filter((x) => x.prompt === reply).map((x) => x.text)).toEqual([a]);
      history.push({ role: 'user', content: q }, { role: 'assistant', content: a });
    }
  }

  // The explorer: a turns column and facet, every turn in the detail, search over all turns.
  await page.getByRole('navigation', { name: 'Views' }).getByText('Explore').click();
  const viewCount = page.getByTestId('view-count');
  await expect(viewCount).toContainText('3 of 3');
  const facets = page.getByRole('navigation', { name: 'Facets' });
  await expect(facets.getByRole('group', { name: 'Turns' })).toContainText('3');
  await expect(page.getByRole('columnheader', { name: /Turns/ })).toBeVisible();
  await page.locator('.xp-row').first().click();
  const detail = page.getByRole('complementary', { name: 'Record' });
  const shown = await detail.getByRole('region', { name: 'Conversation' }).textContent();
  const opened = records.find((r) => shown?.includes(r.conversations[4]!.value));
  expect(opened, 'the detail shows the third question of a stored conversation').toBeDefined();
  await expect(detail.getByRole('heading', { name: /User · turn 3/ })).toBeVisible();
  await expect(detail.getByRole('heading', { name: /Assistant · turn 3/ })).toBeVisible();
  await page.getByRole('button', { name: 'Close record' }).click();
  // A question asked only at turn 3 finds its conversation.
  const third = records[1]!.conversations[4]!.value;
  expect(records.filter((r) => r.instruction === third)).toHaveLength(0);
  await page.getByLabel(/Search instructions/).fill(third.replace(/[?.!]$/, ''));
  await expect(viewCount).toContainText('1 of 3');
  await expect(page.locator('.xp-row').first()).toHaveAttribute('data-uuid', records[1]!.uuid);

  // Exported as ShareGPT, each line is the documented row with every turn of its conversation.
  const lines = (await exportWholeDataset(page, 'ShareGPT (conversations: from / value)')).map(
    (l) => documented.sharegpt.parse(l),
  );
  expect(
    lines.map((l) => l.conversations).sort((a, b) => a[0]!.value.localeCompare(b[0]!.value)),
  ).toEqual(
    records
      .map((r) => r.conversations.map(({ from, value }) => ({ from, value })))
      .sort((a, b) => a[0]!.value.localeCompare(b[0]!.value)),
  );
});
