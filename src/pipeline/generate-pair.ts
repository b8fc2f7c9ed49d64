/**
 * One Magpie sample: instruction step (pre-query template alone), checks, response
 * step (full template with the instruction), then the record to store. Nothing is
 * written here; the run loop owns storage so a pair is stored whole or not at all.
 */
import type { CompletionResult, Engine, ModelDescription } from '../shared/engine';
import type { GeneratedRecord } from '../shared/record';
import { newRecord } from '../shared/record-factory';
import type { DropReason, LivePair, RunRecord } from '../shared/run';
import { cheapTags } from '../record-rules/cheap-tags';
import { detectLanguage } from '../record-rules/language';
import { checkInstruction, checkResponse } from './check-instruction';
import { opensWithHeading, pairPrompts, planPair, type PairPlan } from './pair-plan';

/** What the live view counts besides pairs and drops: the plan and whether the language matched. */
export interface PairTally {
  plan: PairPlan;
  /** Set when the pair had a target language and its instruction got that far. */
  languageMatched?: boolean;
}

export type PairOutcome =
  | ({ kind: 'pair'; record: GeneratedRecord; completionTokens: number } & PairTally)
  | ({ kind: 'drop'; reason: DropReason; completionTokens: number } & PairTally);

export interface PairContext {
  engine: Engine;
  model: ModelDescription;
  run: RunRecord;
  signal: AbortSignal;
  /** Set for the one pair the live view follows; receives the growing texts. */
  onLive?: (live: LivePair) => void;
}

export function instructionStops(run: RunRecord): string[] {
  const stops = [...run.template.instructionStops];
  if (run.settings.earlyStopNewline && !stops.includes('\n')) stops.push('\n');
  return stops;
}

function tokensOf(result: CompletionResult): number {
  return result.usage.completionTokens ?? 0;
}

export async function generatePair(ctx: PairContext, sampleIndex: number): Promise<PairOutcome> {
  const { engine, run, signal, onLive } = ctx;
  const { settings, template } = run;
  const seed = settings.seed + sampleIndex;
  const iStops = instructionStops(run);
  const plan = planPair(settings, sampleIndex);
  const prompts = pairPrompts(template, settings, plan);
  const firstToken =
    settings.firstToken && settings.firstToken !== 'none' && ctx.model.firstTokenControl
      ? settings.firstToken
      : undefined;

  let liveInstruction = '';
  const ins = await engine.complete(
    {
      prompt: prompts.instruction,
      maxTokens: settings.instruction.maxTokens,
      temperature: settings.instruction.temperature,
      topP: settings.instruction.topP,
      repetitionPenalty: settings.instruction.repetitionPenalty,
      seed,
      stop: iStops,
      ...(firstToken && { firstToken }),
    },
    {
      signal,
      onDelta: onLive
        ? (d) => {
            liveInstruction += d;
            onLive({ step: 'instruction', instruction: liveInstruction, response: '' });
          }
        : undefined,
    },
  );
  const drop = (reason: DropReason, completionTokens: number, languageMatched?: boolean) =>
    ({ kind: 'drop', reason, completionTokens, plan, languageMatched }) as const;
  if (settings.dropHeadingFirst && opensWithHeading(ins.text)) {
    return drop('heading-first', tokensOf(ins));
  }
  const verdict = checkInstruction(ins.text, ins.finishReason, settings);
  if (!verdict.ok) return drop(verdict.reason, tokensOf(ins));
  const instruction = verdict.instruction;
  const language = detectLanguage(instruction);
  const languageMatched = plan.targetLanguage ? language === plan.targetLanguage : undefined;
  if (languageMatched === false && settings.dropLanguageMisses) {
    return drop('language-miss', tokensOf(ins), languageMatched);
  }

  let liveResponse = '';
  const res = await engine.complete(
    {
      prompt: prompts.response(instruction),
      maxTokens: settings.response.maxTokens,
      temperature: settings.response.temperature,
      topP: settings.response.topP,
      repetitionPenalty: settings.response.repetitionPenalty,
      seed,
      stop: template.responseStops,
    },
    {
      signal,
      onDelta: onLive
        ? (d) => {
            liveResponse += d;
            onLive({ step: 'response', instruction, response: liveResponse });
          }
        : undefined,
    },
  );
  const tokens = tokensOf(ins) + tokensOf(res);
  const checked = checkResponse(res.text, res.finishReason, settings);
  if (!checked.ok) return drop(checked.reason, tokens, languageMatched);
  const response = checked.response;

  const record = newRecord(
    {
      uuid: crypto.randomUUID(),
      datasetId: run.datasetId,
      runId: run.id,
      createdAt: Date.now(),
    },
    {
      engine: engine.kind,
      model: ctx.model.id,
      gen_input_configs: {
        temperature: settings.instruction.temperature,
        top_p: settings.instruction.topP,
        max_tokens: settings.instruction.maxTokens,
        repetition_penalty: settings.instruction.repetitionPenalty,
        input_generator: ctx.model.id,
        seed: ins.seed ?? seed,
        pre_query_template: prompts.instruction,
        stop: iStops,
      },
      gen_response_configs: {
        temperature: settings.response.temperature,
        top_p: settings.response.topP,
        max_tokens: settings.response.maxTokens,
        repetition_penalty: settings.response.repetitionPenalty,
        // A batch of response prompts shares one seed (engine/server/batch-plan.ts).
        seed: res.seed ?? seed,
        post_query_template: template.postQuery,
        stop: template.responseStops,
      },
      instructionRaw: ins.text,
      finish: { instruction: ins.finishReason, response: res.finishReason },
      usage: { instruction: ins.usage, response: res.usage },
    },
    [
      { from: 'human', value: instruction },
      { from: 'gpt', value: response },
    ],
    {
      ...cheapTags({ instruction, response, language }),
      ...(plan.system && { system_prompt: plan.system }),
      ...(plan.targetLanguage && { target_language: plan.targetLanguage }),
    },
  );
  return { kind: 'pair', record, completionTokens: tokens, plan, languageMatched };
}
