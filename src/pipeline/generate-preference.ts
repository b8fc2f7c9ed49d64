/**
 * One preference sample (the authors' gen_po_multi_res.py, with the judge standing in for
 * their reward model): an instruction, k responses from the same prompt with distinct
 * seeds at the preference sampling, each kept response scored by the judge; chosen =
 * best, rejected = worst.
 *
 * On a server that batches, the k responses are asked at once: the same prompt and
 * sampling with consecutive seeds, which the batcher sends as one request with `n` (each
 * response keeps its own seed, as the authors' n=5 call did) or splits as the server needs.
 * Other engines run one sequence at a time, so the responses are asked one after another.
 * The judge's chat requests cannot be batched (a chat completion carries one
 * conversation): the run's `judgeSlots` keeps at most one per connection on the wire.
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
  const answer = (j: number) =>
    responseStep(ctx, prompt, preference, preferenceSeed(seed, j), { instruction, turn: j + 1 });
  const k = Array.from({ length: preference.responses }, (_, j) => j);
  const batches = !!(ctx.model.batching?.n || ctx.model.batching?.promptArrays);
  const answers: Awaited<ReturnType<typeof answer>>[] = [];
  if (batches) answers.push(...(await Promise.all(k.map(answer))));
  else for (const j of k) answers.push(await answer(j));

  const score = (text: string) =>
    scoreResponse(ctx.engine, instruction, text, ctx.signal, ctx.judgeSlots);
  const responses: PreferenceResponse[] = [];
  for (const [j, res] of answers.entries()) {
    // The seed the server applied (a batch of different prompts shares one).
    const s = res.ok ? (res.result.seed ?? preferenceSeed(seed, j)) : preferenceSeed(seed, j);
    if (!res.ok) {
      tokens += res.tokens;
      responses.push({ text: '', seed: s, finish: 'stop', unscored: res.reason });
      continue;
    }
    tokens += tokensOf(res.result);
    ctx.onLive?.({ step: 'judge', turn: j + 1, instruction, response: res.response });
    const verdict = await score(res.response);
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
