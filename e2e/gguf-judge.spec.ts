/**
 * The judge on the GGUF engine, for real: llama.cpp on the CPU tags stored pairs with the
 * tiny random-weight model. Its chat answers are constrained by the judge's JSON schemas (as
 * a grammar) held within each task's token limit (free text and lists bounded), so even a
 * model writing gibberish completes every answer: each task gets a label from its set, a
 * task with free text (an explanation, a reason) included.
 */
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import type { PairRecord } from '../src/shared/record';
import { JUDGE_TASKS, type JudgeTask } from '../src/shared/quality';
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

test('the tiny GGUF model as judge: every task labelled, free text held within its token limit', async ({
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

  // Every task of every record ended as a label from its set, by this model: the free text
  // before a label could not run into the token limit, so nothing became a tag failure.
  const records = (await readStore(page)).records as unknown as PairRecord[];
  expect(records).toHaveLength(2);
  for (const r of records) {
    expect(decodeFailure(r.tag_failure), 'no tag failure').toEqual([]);
    for (const task of JUDGE_TASKS) {
      expect(LABELS[task](r[task]), `${task} = ${JSON.stringify(r[task])}`).toBe(true);
      expect(r[GENERATOR[task]]).toBe(MODEL);
    }
  }
  await expect(page.getByTestId('judge-failed')).toHaveText('0');
});
