/**
 * The method's controls in a run: system prompts drawn per pair from the seed, target
 * languages with their match count and drop rule, and the first-token rule / heading drop.
 */
import { describe, expect, it } from 'vitest';
import { said, ScriptedEngine, type Script } from '../engine/scripted/scripted-engine';
import type { CompletionRequest } from '../shared/engine';
import type { RunSettings } from '../shared/run';
import { SYSTEM_PROMPT_PRESETS, type WeightedSystemPrompt } from '../shared/system-prompts';
import { templateFor } from '../shared/templates/families';
import { pipelineRuns, runToEnd } from '../test-support/pipeline-harness';
import { getRun } from '../store/runs';
import { planPair } from './pair-plan';

const QWEN = templateFor('qwen2.5', { writeBos: false });
const [MATH, CODE] = SYSTEM_PROMPT_PRESETS;
const prompts = (weights: number[]): WeightedSystemPrompt[] =>
  SYSTEM_PROMPT_PRESETS.slice(0, weights.length).map((p, i) => ({ ...p, weight: weights[i]! }));

const newRun = pipelineRuns('method');

async function run(
  over: Partial<RunSettings>,
  script: Script,
  opts: { concurrency?: number; firstTokenControl?: boolean } = {},
) {
  const { db, ds, run: created } = await newRun(over, { template: QWEN });
  const engine = new ScriptedEngine(script, {
    concurrency: opts.concurrency ?? 1,
    firstTokenControl: opts.firstTokenControl ?? false,
  });
  const { result, events } = await runToEnd(db, created, engine);
  const stored = (await getRun(db, created.id))!;
  const records = await db.records.where('datasetId').equals(ds.id).toArray();
  return { result, engine, events, stored, records };
}

const isInstruction = (req: CompletionRequest) => req.prompt.endsWith('<|im_start|>user\n');

/** English instructions "Question k about sorting lists?", answers "Answer k.". */
const english: Script = (req, call) =>
  isInstruction(req) ? said(`Question ${call} about sorting lists?`) : said(`Answer ${call}.`);

describe('planPair', () => {
  it('draws the same system prompt and language for the same seed and pair, per pair', () => {
    const s = {
      seed: 7,
      systemPrompts: prompts([1, 1, 1]),
      languages: [
        { code: 'fr', weight: 1, prompt: 'En français.' },
        { code: 'de', weight: 1, prompt: 'Auf Deutsch.' },
      ],
    };
    const a = Array.from({ length: 50 }, (_, k) => planPair(s, k));
    const b = Array.from({ length: 50 }, (_, k) => planPair(s, k));
    expect(a).toEqual(b);
    expect(new Set(a.map((p) => p.systemPromptId)).size).toBe(3);
    expect(new Set(a.map((p) => p.targetLanguage)).size).toBe(2);
    const other = Array.from({ length: 50 }, (_, k) => planPair({ ...s, seed: 8 }, k));
    expect(other.map((p) => p.systemPromptId)).not.toEqual(a.map((p) => p.systemPromptId));
    const first = a[0]!;
    const domain = SYSTEM_PROMPT_PRESETS.find((p) => p.id === first.systemPromptId)!.text;
    const language = first.targetLanguage === 'fr' ? 'En français.' : 'Auf Deutsch.';
    expect(first.system).toBe(`${domain}\n\n${language}`);
  });

  it('follows the weights and never draws a zero weight', () => {
    const s = { seed: 1, systemPrompts: prompts([3, 1, 0]) };
    const counts: Record<string, number> = {};
    for (let k = 0; k < 4000; k++) {
      const id = planPair(s, k).systemPromptId!;
      counts[id] = (counts[id] ?? 0) + 1;
    }
    expect(counts.translation).toBeUndefined();
    expect(counts.math! / 4000).toBeGreaterThan(0.72);
    expect(counts.math! / 4000).toBeLessThan(0.78);
  });

  it('plans nothing for a run without system prompts or languages', () => {
    expect(planPair({ seed: 0 }, 3)).toEqual({});
  });
});

describe('a run with system prompts', () => {
  it('renders each pair’s drawn prompt into both steps and counts pairs per prompt', async () => {
    const over = { target: 12, seed: 5, systemPrompts: prompts([1, 1]) };
    const { result, engine, stored, events, records } = await run(over, english);
    expect(result.status).toBe('done');
    for (const r of records) {
      const k = r.gen_input_configs.seed! - 5;
      const drawn = planPair(over, k).systemPromptId === 'math' ? MATH! : CODE!;
      expect(r.system_prompt).toBe(drawn.text);
      expect(r.gen_input_configs.pre_query_template).toBe(
        `<|im_start|>system\n${drawn.text}<|im_end|>\n<|im_start|>user\n`,
      );
      expect(r.target_language).toBeUndefined();
    }
    const instructionPrompts = engine.requests.filter(isInstruction);
    expect(instructionPrompts).toHaveLength(12);
    instructionPrompts.forEach((req, k) => {
      const drawn = planPair(over, k).systemPromptId === 'math' ? MATH! : CODE!;
      expect(req.prompt).toBe(`<|im_start|>system\n${drawn.text}<|im_end|>\n<|im_start|>user\n`);
      expect(req.seed).toBe(5 + k);
    });
    const responses = engine.requests.filter((r) => !isInstruction(r));
    expect(responses[0]!.prompt).toBe(
      `${instructionPrompts[0]!.prompt}Question 0 about sorting lists?<|im_end|>\n<|im_start|>assistant\n`,
    );
    const expected = { math: 0, code: 0 };
    for (let k = 0; k < 12; k++) expected[planPair(over, k).systemPromptId as 'math' | 'code']++;
    expect(stored.tally?.bySystemPrompt).toEqual(expected);
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last?.type === 'progress' && last.progress.tally?.bySystemPrompt).toEqual(expected);
  });

  it('draws per pair, so concurrency does not change which pair got which prompt', async () => {
    const over = { target: 10, seed: 9, systemPrompts: prompts([1, 1, 1]) };
    const bySeed = async (concurrency: number) => {
      const { engine } = await run(over, english, { concurrency });
      return Object.fromEntries(
        engine.requests.filter(isInstruction).map((r) => [r.seed, r.prompt]),
      );
    };
    expect(await bySeed(4)).toEqual(await bySeed(1));
  });

  it('leaves the system prompt out of the response step when asked', async () => {
    const over = { target: 1, systemPrompts: prompts([1]), systemPromptInResponse: false };
    const { engine } = await run(over, english);
    expect(engine.requests[1]!.prompt).toBe(
      templateFor('qwen2.5', { writeBos: false }).preQuery +
        'Question 0 about sorting lists?<|im_end|>\n<|im_start|>assistant\n',
    );
  });
});

describe('a run with a target language', () => {
  const fr = { code: 'fr', weight: 1, prompt: 'The user writes in French only.' };
  /** French when the call index is a multiple of 4 (a kept pair takes two calls), else English. */
  const mixed: Script = (req, call) =>
    isInstruction(req)
      ? said(
          call % 4 === 0
            ? 'Comment puis-je apprendre le français rapidement et bien ?'
            : 'How can I learn to cook a good risotto at home?',
        )
      : said('Réponse.');

  it('counts how often the instruction came out in its language', async () => {
    const { stored, records } = await run({ target: 4, languages: [fr] }, mixed);
    expect(records).toHaveLength(4);
    expect(stored.tally).toMatchObject({ languageChecked: 4, languageMatched: 2 });
  });

  it('drops the misses when the drop rule is on, counted like every drop', async () => {
    const { stored, records } = await run(
      { target: 3, languages: [fr], dropLanguageMisses: true },
      mixed,
    );
    expect(records.map((r) => r.language)).toEqual(['fr', 'fr', 'fr']);
    expect(records.map((r) => r.target_language)).toEqual(['fr', 'fr', 'fr']);
    expect(records[0]!.system_prompt).toBe(fr.prompt);
    // Calls 0, 4 and 8 write French; the English ones at 2, 3, 6 and 7 are dropped.
    expect(stored.dropped['language-miss']).toBe(4);
    expect(stored.tally).toMatchObject({ languageChecked: 7, languageMatched: 3 });
  });
});

describe('first-token rule and heading drop', () => {
  it('asks an engine that can for the rule on the instruction step only', async () => {
    const { engine } = await run({ target: 1, firstToken: 'ban-headings' }, english, {
      firstTokenControl: true,
    });
    expect(engine.requests[0]!.firstToken).toBe('ban-headings');
    expect(engine.requests[1]).not.toHaveProperty('firstToken');
  });

  it('sends no rule to an engine that cannot apply one', async () => {
    const { engine } = await run({ target: 1, firstToken: 'flaming' }, english);
    expect(engine.requests[0]).not.toHaveProperty('firstToken');
  });

  it('drops heading-first instructions when the drop rule is on', async () => {
    const headings: Script = (req, call) =>
      isInstruction(req)
        ? said(call === 0 ? '## Sorting lists in Python' : 'How do I sort a list in Python?')
        : said('Use sorted().');
    const { stored, records } = await run({ target: 1, dropHeadingFirst: true }, headings);
    expect(records).toHaveLength(1);
    expect(stored.dropped['heading-first']).toBe(1);
  });
});
