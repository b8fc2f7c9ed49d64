/**
 * The steps every kind of sample is made of, each with the drop rules that follow it:
 * the instruction step (then the near-duplicate check before any answer is paid for),
 * a response step, and the record's generation settings. Pairs, conversations and
 * preference records are these steps in different orders.
 */
import type { CompletionResult, Engine, ModelDescription } from '../shared/engine';
import type { InstructionGate } from '../shared/near-duplicates';
import type { GenInputConfig, GenResponseConfig } from '../shared/record';
import type { DropReason, LivePair, RunRecord, StepSampling } from '../shared/run';
import { checkInstruction, checkResponse } from './check-instruction';
import { opensWithHeading } from './pair-plan';
import type { Slots } from '../shared/slots';

export interface PairContext {
  engine: Engine;
  model: ModelDescription;
  run: RunRecord;
  signal: AbortSignal;
  /** Set for the one sample the live view follows; receives its texts. */
  onLive?: (live: LivePair) => void;
  /**
   * Whether the followed sample's steps stream (onLive sees the text grow token by token) or
   * each step's text arrives whole when the step ends: streaming costs the engine per token.
   */
  streamLive?: boolean;
  /** The near-duplicate check before answering; absent when the run has it off. */
  gate?: InstructionGate;
  /** Chat requests (the preference judge) the run's lanes may have on the wire at once. */
  judgeSlots?: Slots;
  /**
   * Set on an engine that runs in sample order (ModelDescription.inSampleOrder): lets the next
   * sample ask for its first step. Called once this sample has asked for its last request (the
   * run loop calls it too when the sample ends, whatever happened).
   */
  handOver?: () => void;
}

export type StepOutcome<T> =
  ({ ok: true; result: CompletionResult } & T) | { ok: false; reason: DropReason; tokens: number };

export function instructionStops(run: RunRecord): string[] {
  const stops = [...run.template.instructionStops];
  if (run.settings.earlyStopNewline && !stops.includes('\n')) stops.push('\n');
  return stops;
}

/**
 * A step's text in the live view: streamed as it comes when the lane streams this sample,
 * else shown whole when the step ends (streaming costs a fast in-tab engine per token).
 */
function liveView(ctx: PairContext, show: (text: string) => void) {
  let text = '';
  return {
    onDelta:
      ctx.onLive && ctx.streamLive
        ? (d: string) => {
            text += d;
            show(text);
          }
        : undefined,
    ended: (whole: string) => {
      if (!ctx.streamLive) show(whole);
    },
  };
}

export function tokensOf(result: CompletionResult): number {
  return result.usage.completionTokens ?? 0;
}

/** Sample k's seed: the run's seed + k, so a resumed run never repeats a sample. */
export function sampleSeed(run: RunRecord, sampleIndex: number): number {
  return run.settings.seed + sampleIndex;
}

/** Writes an instruction from `prompt` and applies the instruction drop rules (every turn). */
export async function instructionStep(
  ctx: PairContext,
  prompt: string,
  seed: number,
  opts: { turn?: number },
): Promise<StepOutcome<{ instruction: string }>> {
  const { engine, run, signal, onLive } = ctx;
  const { settings } = run;
  const show = (instruction: string) =>
    onLive?.({ step: 'instruction', turn: opts.turn, instruction, response: '' });
  const firstToken =
    settings.firstToken && settings.firstToken !== 'none' && ctx.model.firstTokenControl
      ? settings.firstToken
      : undefined;
  const view = liveView(ctx, show);
  const result = await engine.complete(
    {
      prompt,
      maxTokens: settings.instruction.maxTokens,
      temperature: settings.instruction.temperature,
      topP: settings.instruction.topP,
      repetitionPenalty: settings.instruction.repetitionPenalty,
      seed,
      stop: instructionStops(run),
      ...(firstToken && { firstToken }),
    },
    { signal, onDelta: view.onDelta },
  );
  view.ended(result.text);
  if (settings.dropHeadingFirst && opensWithHeading(result.text)) {
    return { ok: false, reason: 'heading-first', tokens: tokensOf(result) };
  }
  const verdict = checkInstruction(result.text, result.finishReason, settings);
  if (!verdict.ok) return { ok: false, reason: verdict.reason, tokens: tokensOf(result) };
  return { ok: true, result, instruction: verdict.instruction };
}

/**
 * Answers `prompt` with `sampling` and applies the response drop rules. `last`: the sample
 * asks nothing after this step, so the next sample may ask for its first step meanwhile
 * (unless this one streams: a request queued behind it would hold its tokens back).
 */
export async function responseStep(
  ctx: PairContext,
  prompt: string,
  sampling: Pick<StepSampling, 'temperature' | 'topP'>,
  seed: number,
  live: { instruction: string; turn?: number },
  { last = false }: { last?: boolean } = {},
): Promise<StepOutcome<{ response: string }>> {
  const { engine, run, signal, onLive } = ctx;
  const { settings, template } = run;
  const show = (response: string) => onLive?.({ step: 'response', ...live, response });
  const view = liveView(ctx, show);
  const asked = engine.complete(
    {
      prompt,
      maxTokens: settings.response.maxTokens,
      temperature: sampling.temperature,
      topP: sampling.topP,
      repetitionPenalty: settings.response.repetitionPenalty,
      seed,
      stop: template.responseStops,
    },
    { signal, onDelta: view.onDelta },
  );
  if (last && !view.onDelta) ctx.handOver?.();
  const result = await asked;
  view.ended(result.text);
  const checked = checkResponse(result.text, result.finishReason, settings);
  if (!checked.ok) return { ok: false, reason: checked.reason, tokens: tokensOf(result) };
  return { ok: true, result, response: checked.response };
}

export function inputConfig(ctx: PairContext, seed: number, prompt: string): GenInputConfig {
  const { settings } = ctx.run;
  return {
    temperature: settings.instruction.temperature,
    top_p: settings.instruction.topP,
    max_tokens: settings.instruction.maxTokens,
    repetition_penalty: settings.instruction.repetitionPenalty,
    input_generator: ctx.model.id,
    seed,
    pre_query_template: prompt,
    stop: instructionStops(ctx.run),
  };
}

export function responseConfig(
  ctx: PairContext,
  seed: number,
  sampling: Pick<StepSampling, 'temperature' | 'topP'> = ctx.run.settings.response,
): GenResponseConfig {
  const { settings, template } = ctx.run;
  return {
    temperature: sampling.temperature,
    top_p: sampling.topP,
    max_tokens: settings.response.maxTokens,
    repetition_penalty: settings.response.repetitionPenalty,
    seed,
    post_query_template: template.postQuery,
    stop: template.responseStops,
  };
}
