/**
 * The judge on the GGUF engine, for real: llama.cpp on the CPU tags stored pairs with the
 * tiny random-weight model. Its chat answers are constrained by the judge's JSON schemas (as
 * a grammar), so a task whose answer is only labels gets a label from the set; a task with
 * free text (an explanation, a reason) runs into the token limit in gibberish and becomes a
 * tag failure carrying the raw answer, which the explorer finds and shows.
 */
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { PairRecord } from '../src/shared/record';
import { JUDGE_TASKS, JUDGE_TASK_LABELS, type JudgeTask } from '../src/shared/quality';
import { DIFFICULTIES, INPUT_QUALITIES, TASK_CATEGORIES } from '../src/shared/record';
import { decodeFailure } from '../src/shared/tag-failure';
import { openWithDataset, readStore, seedInstructions } from './support/app';
import { loadTiny, writeTinyGguf } from './support/gguf';

const MODEL = 'tiny-chatml.gguf';
const INSTRUCTIONS = [
  'Plan a three-day trip to Lisbon on a small budget.',
  'Explain how compound interest works for a savings account.',
];
const LABELS: Record<JudgeTask, (v: unknown) => boolean> = {
  task_category: (v) => (TASK_CATEGORIES as readonly unknown[]).includes(v),
  input_quality: (v) => (INPUT_QUALITIES as readonly unknown[]).includes(v),
  difficulty: (v) => (DIFFICULTIES as readonly unknown[]).includes(v),
  response_score: (v) => typeof v === 'number' && v >= 0 && v <= 10,
};
const GENERATOR: Record<JudgeTask, keyof PairRecord> = {
  task_category: 'task_category_generator',
  input_quality: 'quality_generator',
  difficulty: 'difficulty_generator',
  response_score: 'response_score_generator',
};

let tiny = '';
test.beforeAll(() => {
  tiny = writeTinyGguf(resolve('.test-out/gguf-judge'));
});

test('the tiny GGUF model as judge: labels where its answer fits, tag failures kept raw', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await openWithDataset(page, 'judged');
  await seedInstructions(page, INSTRUCTIONS, 8);
  await loadTiny(page, tiny);

  await page.getByRole('navigation', { name: 'Views' }).getByText('Quality').click();
  await expect(page.getByText(`Judge: ${MODEL}`)).toBeVisible();
  await page.getByRole('button', { name: 'Tag untagged records' }).click();
  const card = page.getByRole('region', { name: 'Tag with the model' });
  await expect(page.getByTestId('judge-status')).toHaveText(/Tagging (finished|stopped)/, {
    timeout: 480_000,
  });
  expect(await card.textContent()).toContain('Tagging finished');
  await expect(page.getByTestId('judge-done')).toHaveText('2 / 2');

  // Every task of every record ended as a label from its set (by this model) or as a tag
  // failure with the model's raw answer: nothing was left unanswered, no request failed.
  const records = (await readStore(page)).records as unknown as PairRecord[];
  let labels = 0;
  let failures = 0;
  for (const r of records) {
    const failed = new Map(decodeFailure(r.tag_failure).map((f) => [f.task, f]));
    for (const task of JUDGE_TASKS) {
      const f = failed.get(task);
      if (f) {
        failures++;
        expect(r[task], `${task} has no label beside its failure`).toBeUndefined();
        expect(r.tag_failure!.generator).toBe(MODEL);
        // The grammar held: the raw answer is the start of the JSON object asked for.
        expect(f.raw).toMatch(/^\{\s?"/);
        expect(f.error).toContain('asked twice');
      } else {
        labels++;
        expect(LABELS[task](r[task]), `${task} = ${JSON.stringify(r[task])}`).toBe(true);
        expect(r[GENERATOR[task]]).toBe(MODEL);
      }
    }
  }
  // A random-weight model writes a label only because llama.cpp allowed nothing else.
  expect(labels).toBeGreaterThan(0);
  await expect(page.getByTestId('judge-failed')).toHaveText(String(failures));
  const withFailure = records.filter((r) => r.tag_failure);
  if (withFailure.length === 0) return;

  // The failures as a curator finds them: the Quality view's link, then the detail view
  // showing each failed task's raw answer as text.
  await expect(page.getByTestId('tag-failures')).toContainText(
    withFailure.length === 1 ? '1 record has a tag failure' : `${withFailure.length} records have`,
  );
  await page.getByRole('link', { name: 'Find them in Explore' }).click();
  await expect(page.getByTestId('view-count')).toContainText(`${withFailure.length} of 2`);
  const shown = withFailure[0]!;
  await page.getByRole('row').filter({ hasText: shown.instruction }).click();
  const region = page
    .getByRole('complementary', { name: 'Record' })
    .getByRole('region', { name: 'Tag failures' });
  for (const f of decodeFailure(shown.tag_failure)) {
    expect(await region.getByLabel(`Raw answer (${JUDGE_TASK_LABELS[f.task]})`).textContent()).toBe(
      f.raw,
    );
  }
});
