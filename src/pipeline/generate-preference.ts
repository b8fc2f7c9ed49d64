/**
 * One preference sample (the authors' gen_po_multi_res.py, with the judge standing in for
 * their reward model): an instruction, k responses from the same prompt with distinct
 * seeds at the preference sampling, each kept response scored by the judge; chosen =
 * best, rejected = worst. Responses are asked one after another so a lane keeps one
 * request in flight, as the engine's concurrency promises.
 */
import type { PreferenceResponse } from '../shared/record';
import { choosePreference, chosenFields } from '../shared/preference';
import { runShape } from '../shared/run';
import { firstInstruction, generatedRecord, type PairOutcome } from './generate-pair';
import { scoreResponse } from './score-response';
import { responseConfig, responseStep, tokensOf, type PairContext } from './steps';

/** Response j of sample k uses seed + k + j: distinct within the sample, reproducible. */
export function preferenceSeed(instructionSeed: number, j: number): number {
  return instructionSeed + j;
}

export async function generatePreference(
  ctx: PairContext,
  sampleIndex: number,
): Promise<PairOutcome> {
  const { run } = ctx;
  const { preference } = runShape(run.settings);
  const first = await firstInstruction(ctx, sampleIndex);
  if (!('ok' in first)) return first;
  const { instruction, seed, plan, languageMatched } = first;
  let tokens = first.tokens;

  const prompt = first.prompts.response(instruction);
  const responses: PreferenceResponse[] = [];
  for (let j = 0; j < preference.responses; j++) {
    const s = preferenceSeed(seed, j);
    const res = await responseStep(ctx, prompt, preference, s, { instruction, turn: j + 1 });
    if (!res.ok) {
      tokens += res.tokens;
      responses.push({ text: '', seed: s, finish: 'stop', unscored: res.reason });
      continue;
    }
    tokens += tokensOf(res.result);
    ctx.onLive?.({ step: 'judge', turn: j + 1, instruction, response: res.response });
    const verdict = await scoreResponse(ctx.engine, instruction, res.response, ctx.signal);
    tokens += verdict.tokens;
    const usage = res.result.usage;
    const finish = res.result.finishReason;
    responses.push(
      verdict.ok
        ? {
            text: res.response,
            seed: s,
            finish,
            usage,
            score: verdict.score,
            reason: verdict.reason,
          }
        : { text: res.response, seed: s, finish, usage, unscored: verdict.error },
    );
  }

  const choice = choosePreference(responses.map((r) => r.score));
  if (!choice.ok) {
    return { kind: 'drop', reason: choice.reason, completionTokens: tokens, plan, languageMatched };
  }
  const chosen = responses[choice.chosen] as PreferenceResponse;
  const fields = chosenFields(instruction, responses, choice.chosen);
  const record = generatedRecord(
    ctx,
    {
      ...first,
      response: fields.response,
      // The record's response step is the chosen one's (its finish and usage).
      res: {
        text: fields.response,
        finishReason: chosen.finish,
        usage: chosen.usage ?? { latencyMs: 0 },
      },
    },
    fields.conversations,
    {
      responseConfig: responseConfig(ctx, chosen.seed, preference),
      tags: {
        response_score: fields.response_score,
        response_score_reason: fields.response_score_reason,
        response_score_generator: ctx.model.id,
        preference: {
          responses,
          chosen: choice.chosen,
          rejected: choice.rejected,
          generator: ctx.model.id,
        },
      },
    },
  );
  return { kind: 'pair', record, completionTokens: tokens, plan, languageMatched };
}
