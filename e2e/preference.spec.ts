import {
  completionSamples,
  connect,
  exportWholeDataset,
  generate,
  openView,
  openWithDataset,
  postedBodies,
  readStore,
} from './support/app';
import { QWEN_MODEL, QWEN_POST, QWEN_PRE } from './support/qwen';
import { expect, test } from './support/test';
import { documented } from '../src/formats/schemas';
import type { PairRecord } from '../src/shared/record';

interface CompletionBody {
  prompt: string | string[];
  n?: number;
  seed: number;
  temperature: number;
  top_p: number;
}
interface ChatBody {
  temperature: number;
  messages: { role: string; content: string }[];
}

test('a preference run: k judged responses per instruction, best chosen and worst rejected', async ({
  page,
  startServer,
}) => {
  const server = await startServer({
    model: QWEN_MODEL,
    preQuery: QWEN_PRE,
    judge: { scoreBySeed: true },
  });
  await openWithDataset(page);
  await connect(page, server, { concurrency: 2 });
  await page.getByRole('radio', { name: /^Preference pairs/ }).check();
  await page.getByLabel('Preference records to make').fill('3');
  await page.getByLabel('Responses per instruction').fill('3');
  await generate(page);
  await expect(page.getByTestId('made')).toHaveText('3 / 3');
  await expect(page.getByTestId('tokens-per-kept')).toHaveText(/^\d+$/);

  const records = (await readStore(page)).records as unknown as PairRecord[];
  expect(records).toHaveLength(3);
  const completions = postedBodies<CompletionBody>(server, '/v1/completions');
  const chats = postedBodies<ChatBody>(server, '/v1/chat/completions');
  const samples = completionSamples(server);
  // Instruction samples: the bare pre-query; then 3 answers of the full template each.
  expect(samples.filter((a) => a.prompt === QWEN_PRE)).toHaveLength(3);
  expect(samples).toHaveLength(3 + 3 * 3);
  expect(chats).toHaveLength(3 * 3);
  for (const r of records) {
    const reply = QWEN_PRE + r.instruction + QWEN_POST;
    // The server takes n: the three answers came in one request, at the preference sampling.
    const carriers = completions.filter((b) => b.prompt === reply);
    expect(carriers.map((b) => [b.n, b.temperature, b.top_p])).toEqual([[3, 0.8, 1]]);
    const seeds = samples.filter((a) => a.prompt === reply).map((a) => a.seed!);
    expect(new Set(seeds).size).toBe(3);
    const p = r.preference!;
    expect(p.responses.map((x) => x.seed).sort((a, b) => a - b)).toEqual(seeds);
    // The judge (temperature 0) saw each response, and its score is stored beside it.
    for (const x of p.responses) {
      const asked = chats.filter((c) => c.messages[0]!.content.includes(x.text));
      expect(asked).toHaveLength(1);
      expect(asked[0]!.temperature).toBe(0);
      expect(x.score).toBe(x.seed % 10);
    }
    const scores = p.responses.map((x) => x.score!);
    expect(p.responses[p.chosen]!.score).toBe(Math.max(...scores));
    expect(p.responses[p.rejected]!.score).toBe(Math.min(...scores));
    expect(r.response).toBe(p.responses[p.chosen]!.text);
  }

  // The curator swaps one record's chosen and rejected; the TRL export carries the swap.
  await openView(page, 'Explore');
  await page.locator('.xp-row').first().click();
  const uuid = await page.locator('.xp-row').first().getAttribute('data-uuid');
  const before = records.find((r) => r.uuid === uuid)!.preference!;
  const detail = page.getByRole('complementary', { name: 'Record' });
  await detail.getByRole('button', { name: 'Swap chosen and rejected' }).click();
  await expect(detail.getByText('swapped by the curator')).toBeVisible();
  const swapped = ((await readStore(page)).records as unknown as PairRecord[]).find(
    (r) => r.uuid === uuid,
  )!;
  expect([swapped.preference!.chosen, swapped.preference!.rejected]).toEqual([
    before.rejected,
    before.chosen,
  ]);
  expect(swapped.response).toBe(before.responses[before.rejected]!.text);

  const lines = (
    await exportWholeDataset(page, 'TRL preference (prompt / chosen / rejected messages)')
  ).map((l) => documented['trl-preference'].parse(l));
  expect(lines).toHaveLength(3);
  for (const line of lines) {
    expect(line.prompt.at(-1)!.role).toBe('user');
  }
  const row = lines.find((l) => l.prompt.at(-1)!.content === swapped.instruction)!;
  expect(row.chosen).toEqual([
    { role: 'assistant', content: before.responses[before.rejected]!.text },
  ]);
  expect(row.rejected).toEqual([
    { role: 'assistant', content: before.responses[before.chosen]!.text },
  ]);
});
