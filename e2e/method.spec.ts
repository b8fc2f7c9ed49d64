/**
 * The method's controls as a user sets them up: a run loaded from a recipe file (system prompts
 * drawn per pair, a first-token rule the server cannot apply) against the local test server,
 * with the prompts the server received equal to the model's own template rendering.
 */
import type { Page } from '@playwright/test';
import { makeRecipe, recipeText } from '../src/shared/run-recipe';
import { SYSTEM_PROMPT_PRESETS } from '../src/shared/system-prompts';
import { defaultSettingsFor, templateFor } from '../src/shared/templates/families';
import {
  completionPrompts,
  connect,
  generate,
  openWithDataset,
  postedBodies,
  readStore,
  recordCount,
} from './support/app';
import { QWEN_MODEL, QWEN_POST, QWEN_PRE } from './support/qwen';
import { expect, test } from './support/test';

const MATH =
  'You are an AI assistant designed to provide helpful, step-by-step guidance on solving math problems. The user will ask you a wide range of complex mathematical questions.\nYour purpose is to assist users in understanding mathematical concepts, working through equations, and arriving at the correct solutions.';
const CODE =
  'You are an AI assistant designed to provide helpful, step-by-step guidance on coding problems. The user will ask you a wide range of coding questions.\nYour purpose is to assist users in understanding coding concepts, working through code, and arriving at the correct solutions.';
/** Qwen2.5's own template with a system message: it replaces the default one. */
const rendered = (system: string) => `<|im_start|>system\n${system}<|im_end|>\n<|im_start|>user\n`;

function recipeFor(model: string, extra: Record<string, unknown> = {}): string {
  const recipe = makeRecipe({
    engine: { kind: 'server' },
    model,
    template: templateFor('qwen2.5', { writeBos: false }),
    settings: {
      ...defaultSettingsFor('qwen2.5'),
      target: 6,
      seed: 3,
      systemPrompts: SYSTEM_PROMPT_PRESETS.slice(0, 2).map((p) => ({ ...p, weight: 1 })),
      firstToken: 'ban-headings',
    },
  });
  return recipeText({ ...recipe, ...extra } as typeof recipe);
}

async function loadRecipe(page: Page, name: string, text: string) {
  await page.getByLabel('Load recipe').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
}

test('a run loaded from a recipe file sends the rendered prompts and counts pairs per prompt', async ({
  page,
  startServer,
}) => {
  const server = await startServer({ model: QWEN_MODEL, preQuery: QWEN_PRE });
  await openWithDataset(page);
  await connect(page, server);

  // A recipe for another model, with a field the app does not know: said, and nothing changes.
  await loadRecipe(page, 'llama.json', recipeFor('meta-llama/Llama-3.1-8B-Instruct', { note: 1 }));
  const confirm = page.getByRole('alert', { name: 'Recipe needs confirming' });
  await expect(confirm).toContainText('made with meta-llama/Llama-3.1-8B-Instruct (server)');
  await expect(confirm).toContainText('does not know, “note”');
  await expect(page.getByLabel('Pairs to make')).not.toHaveValue('6');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByLabel('Pairs to make')).not.toHaveValue('6');

  // A broken file: the reason, and nothing changes.
  await loadRecipe(page, 'broken.json', '{"format": "magpie-studio/run-recipe", "version": 1}');
  await expect(page.getByRole('alert').filter({ hasText: 'nothing changed' })).toContainText(
    'engine:',
  );

  await loadRecipe(page, 'qwen-math-code.json', recipeFor(QWEN_MODEL));
  await expect(page.getByRole('status').filter({ hasText: 'Run set up from' })).toContainText(
    'qwen-math-code.json',
  );
  await expect(page.getByLabel('Pairs to make')).toHaveValue('6');
  await expect(page.getByLabel('System prompt 1 text')).toHaveValue(MATH);
  await expect(page.getByLabel('System prompt 2 text')).toHaveValue(CODE);
  // The server cannot apply a first-token rule: the form says so.
  await expect(page.getByTestId('first-token-unsupported')).toBeVisible();

  await generate(page);
  await expect(recordCount(page)).toHaveText('6');

  const completions = postedBodies<object>(server, '/v1/completions');
  // One prompt per answered sample: a batched request carries several (n, prompt arrays).
  const prompts = completionPrompts(server);
  const instructionPrompts = prompts.filter((p) => p === rendered(MATH) || p === rendered(CODE));
  expect(instructionPrompts).toHaveLength(6);
  expect(prompts).toHaveLength(12);
  for (const body of completions) {
    expect(body).not.toHaveProperty('logit_bias');
    expect(body).not.toHaveProperty('firstToken');
  }
  const { records } = await readStore(page);
  expect(records).toHaveLength(6);
  for (const record of records) {
    const sent = record.gen_input_configs.pre_query_template;
    expect([rendered(MATH), rendered(CODE)]).toContain(sent);
    // The reply is rendered with the same system prompt, then the instruction.
    expect(prompts).toContain(sent + record.instruction + QWEN_POST);
  }
  const math = instructionPrompts.filter((p) => p === rendered(MATH)).length;
  await expect(page.getByTestId('pairs-for-math')).toHaveText(String(math));
  await expect(page.getByTestId('pairs-for-code')).toHaveText(String(6 - math));
});
