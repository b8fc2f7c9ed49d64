/**
 * One Magpie sample: instruction step (the pair's system prompt and the opener of a user
 * message), checks, the near-duplicate check, response step, then the record to store.
 * Nothing is written here; the run loop owns storage so a pair is stored whole or not at all.
 */
import type { CompletionResult } from '../shared/engine';
import type { GeneratedRecord, Turn } from '../shared/record';
import { newRecord, type InitialTags } from '../shared/record-factory';
import type { DropReason } from '../shared/run';
import { pairTurns } from '../shared/turns';
import { cheapTags } from '../record-rules/cheap-tags';
import { loadDetectLanguage } from '../record-rules/language';
import { pairPrompts, planPair, type PairPlan } from './pair-plan';
import {
  inputConfig,
  instructionStep,
  responseConfig,
  responseStep,
  sampleSeed,
  tokensOf,
  type PairContext,
} from './steps';

/** What the live view counts besides pairs and drops: the plan and whether the language matched. */
export interface PairTally {
  plan: PairPlan;
  /** Set when the pair had a target language and its instruction got that far. */
  languageMatched?: boolean;
}

export type PairOutcome =
  | ({ kind: 'pair'; record: GeneratedRecord; completionTokens: number } & PairTally)
  /** `turn`: the turn (from 1) of a conversation whose step was dropped. */
  | ({ kind: 'drop'; reason: DropReason; completionTokens: number; turn?: number } & PairTally);

type Drop = Extract<PairOutcome, { kind: 'drop' }>;

/** A first instruction that passed every rule, with the pair's plan and prompts. */
export interface FirstInstruction extends PairTally {
  seed: number;
  prompts: ReturnType<typeof pairPrompts>;
  instruction: string;
  language: string;
  ins: CompletionResult;
  tokens: number;
}

export async function firstInstruction(
  ctx: PairContext,
  sampleIndex: number,
): Promise<({ ok: true } & FirstInstruction) | Drop> {
  const { run } = ctx;
  const { settings, template } = run;
  const seed = sampleSeed(run, sampleIndex);
  const plan = planPair(settings, sampleIndex);
  const prompts = pairPrompts(template, settings, plan);
  const ins = await instructionStep(ctx, prompts.instruction, seed, {});
  if (!ins.ok) return { kind: 'drop', reason: ins.reason, completionTokens: ins.tokens, plan };
  const { instruction } = ins;
  const tokens = tokensOf(ins.result);
  const language = (await loadDetectLanguage())(instruction);
  const languageMatched = plan.targetLanguage ? language === plan.targetLanguage : undefined;
  const drop = (reason: DropReason): Drop => ({
    kind: 'drop',
    reason,
    completionTokens: tokens,
    plan,
    languageMatched,
  });
  if (languageMatched === false && settings.dropLanguageMisses) return drop('language-miss');
  // Last, so only an instruction every other rule kept is remembered as seen.
  if (ctx.gate && !ctx.gate.admit(instruction)) return drop('near-duplicate');
  return {
    ok: true,
    seed,
    plan,
    prompts,
    instruction,
    language,
    languageMatched,
    ins: ins.result,
    tokens,
  };
}

/** A first turn that passed every rule: what the rest of a sample builds on. */
export interface FirstTurn extends FirstInstruction {
  response: string;
  res: CompletionResult;
}

/** `last`: the sample is this one turn (a plain pair), so its response is its last request. */
export async function firstTurn(
  ctx: PairContext,
  sampleIndex: number,
  last = false,
): Promise<({ ok: true } & FirstTurn) | Drop> {
  const first = await firstInstruction(ctx, sampleIndex);
  if (!('ok' in first)) return first;
  const { instruction, seed, plan, languageMatched } = first;
  const res = await responseStep(
    ctx,
    first.prompts.response(instruction),
    ctx.run.settings.response,
    seed,
    { instruction },
    { last },
  );
  if (!res.ok) {
    const completionTokens = first.tokens + res.tokens;
    return { kind: 'drop', reason: res.reason, completionTokens, plan, languageMatched };
  }
  return {
    ...first,
    response: res.response,
    res: res.result,
    tokens: first.tokens + tokensOf(res.result),
  };
}

/**
 * The record of a sample (through the one record factory): the first turn's steps, every
 * turn in `turns`, cheap tags of the first pair, the plan, and what else the caller knows.
 */
export function generatedRecord(
  ctx: PairContext,
  first: FirstInstruction & { res: CompletionResult; response: string },
  turns: Turn[] = pairTurns(first.instruction, first.response),
  extra: { responseConfig?: GeneratedRecord['gen_response_configs']; tags?: InitialTags } = {},
): GeneratedRecord {
  const { run } = ctx;
  const { ins, res, seed, plan, instruction, language } = first;
  const response = turns.find((t) => t.from === 'gpt')?.value ?? first.response;
  return newRecord(
    { uuid: crypto.randomUUID(), datasetId: run.datasetId, runId: run.id, createdAt: Date.now() },
    {
      engine: ctx.engine.kind,
      model: ctx.model.id,
      // A batch of prompts shares one seed (engine/server/batch-plan.ts): the record keeps
      // the seed each step was sampled with.
      gen_input_configs: inputConfig(ctx, ins.seed ?? seed, first.prompts.instruction),
      gen_response_configs: extra.responseConfig ?? responseConfig(ctx, res.seed ?? seed),
      instructionRaw: ins.text,
      finish: { instruction: ins.finishReason, response: res.finishReason },
      usage: { instruction: ins.usage, response: res.usage },
    },
    turns,
    {
      ...cheapTags({ instruction, response }, language),
      ...(plan.system && { system_prompt: plan.system }),
      ...(plan.targetLanguage && { target_language: plan.targetLanguage }),
      ...extra.tags,
    },
  );
}

export async function generatePair(ctx: PairContext, sampleIndex: number): Promise<PairOutcome> {
  const first = await firstTurn(ctx, sampleIndex, true);
  if (!('ok' in first)) return first;
  return {
    kind: 'pair',
    record: generatedRecord(ctx, first),
    completionTokens: first.tokens,
    plan: first.plan,
    languageMatched: first.languageMatched,
  };
}
