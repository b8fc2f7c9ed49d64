import { describe, expect, it } from 'vitest';
import { makeRecipe, readRecipe, recipeText, RECIPE_FORMAT } from './run-recipe';
import { SYSTEM_PROMPT_PRESETS } from './system-prompts';
import { defaultSettingsFor, templateFor } from './templates/families';

const MODEL = 'Llama-3.1-8B-Instruct-q4f16_1-MLC';

function fullRun() {
  return {
    engine: { kind: 'webllm' as const },
    model: MODEL,
    template: templateFor('llama-3.1', { writeBos: true, date: new Date(2025, 0, 5) }),
    settings: {
      ...defaultSettingsFor('llama-3.1'),
      target: 250,
      seed: 17,
      systemPrompts: SYSTEM_PROMPT_PRESETS.slice(0, 2).map((p, i) => ({ ...p, weight: i + 1 })),
      languages: [{ code: 'fr', weight: 1, prompt: 'The user writes in French.' }],
      dropLanguageMisses: true,
      systemPromptInResponse: false,
      dropHeadingFirst: true,
    },
  };
}

/** A saved recipe as plain JSON, to be broken on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const withField = (mutate: (r: Json) => void) => {
  const r = JSON.parse(recipeText(makeRecipe(fullRun()))) as Json;
  mutate(r);
  return JSON.stringify(r);
};

describe('run recipes', () => {
  it('round-trip: a saved recipe reads back equal, with nothing to confirm', () => {
    const recipe = makeRecipe(fullRun());
    const read = readRecipe(recipeText(recipe), { kind: 'webllm', model: MODEL });
    expect(read).toEqual({ ok: true, recipe, warnings: [] });
    expect(recipe.template.chat?.source).toContain('Cutting Knowledge Date');
    expect(recipe.engine).toEqual({ kind: 'webllm', model: MODEL });
  });

  it('says plainly when the recipe names another model', () => {
    const read = readRecipe(recipeText(makeRecipe(fullRun())), {
      kind: 'webllm',
      model: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC',
    });
    expect(read.ok && read.warnings).toEqual([
      `The recipe was made with ${MODEL} (webllm); the connected model is Qwen2.5-1.5B-Instruct-q4f16_1-MLC.`,
    ]);
  });

  it('says when the same model ran on another kind of engine', () => {
    const read = readRecipe(recipeText(makeRecipe(fullRun())), { kind: 'server', model: MODEL });
    expect(read.ok && read.warnings).toEqual([
      'The recipe was made with a webllm engine; the connected one is a server engine.',
    ]);
  });

  it('names every field it does not know, and leaves them out of what it returns', () => {
    const text = withField((r) => {
      r.settings.shuffle = true;
      r.settings.instruction.min_p = 0.1;
      r.settings.systemPrompts[0].color = 'red';
      r.comment = 'made on Tuesday';
    });
    const read = readRecipe(text, { kind: 'webllm', model: MODEL });
    if (!read.ok) throw new Error(read.errors.join());
    expect(read.warnings).toEqual([
      'The recipe has a field this app does not know, “settings.instruction.min_p”; it would be ignored.',
      'The recipe has a field this app does not know, “settings.systemPrompts[0].color”; it would be ignored.',
      'The recipe has a field this app does not know, “settings.shuffle”; it would be ignored.',
      'The recipe has a field this app does not know, “comment”; it would be ignored.',
    ]);
    expect(read.recipe).toEqual(makeRecipe(fullRun()));
  });

  it.each([
    ['not JSON', '{"format":', /not JSON/],
    ['an array', '[]', /a JSON object was expected/],
    [
      'another file',
      JSON.stringify({ format: 'sharegpt' }),
      /not a Magpie Studio run recipe \(its "format" is "sharegpt"\)/,
    ],
    [
      'a newer version',
      JSON.stringify({ format: RECIPE_FORMAT, version: 2 }),
      /version 2; this app reads version 1/,
    ],
    [
      'a negative temperature',
      withField((r) => (r.settings.instruction.temperature = -1)),
      /settings\.instruction\.temperature: /,
    ],
    ['no template', withField((r) => delete r.template), /^template: /],
    ['an unknown engine', withField((r) => (r.engine.kind = 'ollama')), /engine\.kind: /],
    [
      'a weight that is text',
      withField((r) => (r.settings.systemPrompts[0].weight = 'heavy')),
      /settings\.systemPrompts\.0\.weight: /,
    ],
    [
      'a bad template date',
      withField((r) => (r.template.chat.date = 'yesterday')),
      /template\.chat\.date: .*YYYY-MM-DD/,
    ],
  ])('rejects %s with a reason', (_name, text, reason) => {
    const read = readRecipe(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.errors.join('\n')).toMatch(reason);
  });
});
