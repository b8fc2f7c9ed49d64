/**
 * Run recipes as files: the whole configuration of a run (engine kind and model id, template
 * strings and chat template, system prompts and weights, languages, sampling, seed, drop rules)
 * as JSON, to save, share, load and embed in a dataset card. Loading validates everything and
 * changes nothing by itself: a recipe for another model, or with fields this app does not know,
 * is reported for the user to confirm.
 */
import { z } from 'zod';
import type { EngineConfig } from './engine';
import type { RunSettings } from './run';
import type { PromptTemplate } from './template';

export const RECIPE_FORMAT = 'magpie-studio/run-recipe';
export const RECIPE_VERSION = 1;

export interface RunRecipe {
  format: typeof RECIPE_FORMAT;
  version: typeof RECIPE_VERSION;
  /** Where the run's model ran; no URL or key: a recipe is meant to be shared. */
  engine: { kind: EngineConfig['kind']; model: string };
  template: PromptTemplate;
  settings: RunSettings;
}

export function makeRecipe(run: {
  engine: Pick<EngineConfig, 'kind'>;
  model: string;
  template: PromptTemplate;
  settings: RunSettings;
}): RunRecipe {
  return {
    format: RECIPE_FORMAT,
    version: RECIPE_VERSION,
    engine: { kind: run.engine.kind, model: run.model },
    template: run.template,
    settings: run.settings,
  };
}

export function recipeText(recipe: RunRecipe): string {
  return `${JSON.stringify(recipe, null, 2)}\n`;
}

const nonNegative = z.number().finite().min(0);
const step = z.looseObject({
  temperature: z.number().finite().min(0).max(5),
  topP: z.number().finite().min(0).max(1),
  maxTokens: z.number().int().min(1),
  repetitionPenalty: z.number().finite().min(0),
});

const chat = z.looseObject({
  source: z.string().min(1),
  bosToken: z.string(),
  eosToken: z.string(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD'),
  system: z.enum(['native', 'fold']),
});

const template = z.looseObject({
  family: z.string(),
  bos: z.string(),
  writeBos: z.boolean(),
  preQuery: z.string(),
  postQuery: z.string(),
  instructionStops: z.array(z.string()),
  responseStops: z.array(z.string()),
  chat: chat.optional(),
});

const settings = z.looseObject({
  target: z.number().int().min(1),
  instruction: step,
  response: step,
  seed: z.number().int(),
  earlyStopNewline: z.boolean(),
  sanitize: z.boolean(),
  keepTruncatedResponses: z.boolean(),
  minInstructionChars: z.number().int().min(0),
  systemPrompts: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        label: z.string(),
        text: z.string(),
        weight: nonNegative,
      }),
    )
    .optional(),
  languages: z
    .array(z.looseObject({ code: z.string().min(2), weight: nonNegative, prompt: z.string() }))
    .optional(),
  dropLanguageMisses: z.boolean().optional(),
  systemPromptInResponse: z.boolean().optional(),
  firstToken: z.enum(['none', 'ban-headings', 'flaming']).optional(),
  dropHeadingFirst: z.boolean().optional(),
  mode: z.enum(['pairs', 'preference']).optional(),
  turns: z.number().int().min(1).max(5).optional(),
  preference: z
    .looseObject({
      responses: z.number().int().min(2),
      temperature: z.number().min(0),
      topP: z.number().min(0).max(1),
    })
    .optional(),
  nearDuplicateCheck: z.boolean().optional(),
});

const recipe = z.looseObject({
  format: z.literal(RECIPE_FORMAT),
  version: z.literal(RECIPE_VERSION),
  engine: z.looseObject({ kind: z.enum(['server', 'webllm']), model: z.string().min(1) }),
  template,
  settings,
});

/**
 * Every field a recipe may hold, by object. Typed against the app's own types: a field added to
 * RunSettings or PromptTemplate without being listed here (and in the schema above) fails the
 * type check, so recipes never silently drop a setting.
 */
const KNOWN = {
  '': ['format', 'version', 'engine', 'template', 'settings'],
  engine: ['kind', 'model'] satisfies (keyof RunRecipe['engine'])[],
  template: keysOf<PromptTemplate>({
    family: 1, bos: 1, writeBos: 1, preQuery: 1, postQuery: 1, instructionStops: 1,
    responseStops: 1, chat: 1,
  }), // prettier-ignore
  'template.chat': ['source', 'bosToken', 'eosToken', 'date', 'system'],
  settings: keysOf<RunSettings>({
    target: 1, instruction: 1, response: 1, seed: 1, earlyStopNewline: 1, sanitize: 1,
    keepTruncatedResponses: 1, minInstructionChars: 1, systemPrompts: 1, languages: 1,
    dropLanguageMisses: 1, systemPromptInResponse: 1, firstToken: 1, dropHeadingFirst: 1,
    mode: 1, turns: 1, preference: 1, nearDuplicateCheck: 1,
  }), // prettier-ignore
  'settings.preference': ['responses', 'temperature', 'topP'],
  'settings.instruction': ['temperature', 'topP', 'maxTokens', 'repetitionPenalty'],
  'settings.response': ['temperature', 'topP', 'maxTokens', 'repetitionPenalty'],
  'settings.systemPrompts[]': ['id', 'label', 'text', 'weight'],
  'settings.languages[]': ['code', 'weight', 'prompt'],
} as const;

function keysOf<T>(all: Record<keyof T, 1>): string[] {
  return Object.keys(all);
}

export type RecipeReading =
  | { ok: false; errors: string[] }
  | {
      ok: true;
      recipe: RunRecipe;
      /** What the user must confirm before the recipe is applied; empty: apply it. */
      warnings: string[];
    };

/** Reads a recipe file's text; `connected` is the engine and model a run would use now. */
export function readRecipe(
  text: string,
  connected?: { kind: EngineConfig['kind']; model: string },
): RecipeReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`The file is not JSON: ${(err as Error).message}`] };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, errors: ['The file holds no recipe: a JSON object was expected.'] };
  }
  const tag = (value as { format?: unknown }).format;
  if (tag !== RECIPE_FORMAT) {
    return {
      ok: false,
      errors: [`This is not a Magpie Studio run recipe (its "format" is ${JSON.stringify(tag)}).`],
    };
  }
  const version = (value as { version?: unknown }).version;
  if (version !== RECIPE_VERSION) {
    return {
      ok: false,
      errors: [
        `This recipe is version ${JSON.stringify(version)}; this app reads version ${RECIPE_VERSION}.`,
      ],
    };
  }
  const parsed = recipe.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${i.path.join('.') || 'recipe'}: ${i.message}`),
    };
  }
  const warnings = unknownFields(value as Record<string, unknown>).map(
    (path) => `The recipe has a field this app does not know, “${path}”; it would be ignored.`,
  );
  const read = parsed.data as unknown as RunRecipe;
  if (connected && read.engine.model !== connected.model) {
    warnings.unshift(
      `The recipe was made with ${read.engine.model} (${read.engine.kind}); the connected model is ${connected.model}.`,
    );
  } else if (connected && read.engine.kind !== connected.kind) {
    // Same model id, other engine: whether the app writes the BOS differs between them.
    warnings.unshift(
      `The recipe was made with a ${read.engine.kind} engine; the connected one is a ${connected.kind} engine.`,
    );
  }
  return { ok: true, recipe: stripUnknown(read), warnings };
}

function unknownFields(root: Record<string, unknown>): string[] {
  const found: string[] = [];
  const visit = (value: unknown, known: string, path: string) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    const allowed = KNOWN[known as keyof typeof KNOWN] as readonly string[] | undefined;
    if (!allowed) return;
    for (const [key, child] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!allowed.includes(key)) found.push(at);
      else if (Array.isArray(child))
        child.forEach((c, i) => visit(c, `${known ? `${known}.` : ''}${key}[]`, `${at}[${i}]`));
      else visit(child, known ? `${known}.${key}` : key, at);
    }
  };
  visit(root, '', '');
  return found;
}

/** The recipe with only the fields the app knows, so nothing unknown reaches a stored run. */
function stripUnknown(r: RunRecipe): RunRecipe {
  const pick = <T extends object>(o: T, keys: readonly string[]): T =>
    Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k))) as T;
  const template = pick(r.template, KNOWN.template);
  if (template.chat) template.chat = pick(template.chat, KNOWN['template.chat']);
  const settings = pick(r.settings, KNOWN.settings);
  settings.instruction = pick(settings.instruction, KNOWN['settings.instruction']);
  settings.response = pick(settings.response, KNOWN['settings.response']);
  if (settings.systemPrompts)
    settings.systemPrompts = settings.systemPrompts.map((p) =>
      pick(p, KNOWN['settings.systemPrompts[]']),
    );
  if (settings.languages)
    settings.languages = settings.languages.map((l) => pick(l, KNOWN['settings.languages[]']));
  return {
    format: RECIPE_FORMAT,
    version: RECIPE_VERSION,
    engine: pick(r.engine, KNOWN.engine),
    template,
    settings,
  };
}
