/**
 * A multi-turn sample, after the authors' gen_mt.py. Turn 1 is a plain Magpie pair. For
 * turn k >= 2:
 *   instruction prompt = the conversation so far rendered with the authors' multi-turn
 *                        system prompt, then the opener of the next user message;
 *   response prompt    = the conversation so far without that system prompt, the new
 *                        instruction, then the opener of the reply.
 * Every turn goes through the same cleaning and drop rules as a first turn. A conversation
 * is stored with every turn asked for or not at all: when turn k fails a rule, the whole
 * sample is dropped, counted under that rule's reason (and as a later-turn drop), so every
 * stored conversation has the number of turns the run asked for.
 *
 * On a server that batches, turn k of one conversation and turn k of the others (all
 * different prompts) share requests as prompt arrays: such a sample takes the request's one
 * seed. Only turn 1's seeds are stored (gen_input_configs, gen_response_configs).
 */
import type { Turn } from '../shared/record';
import { runShape } from '../shared/run';
import type { ChatTurn } from '../shared/template';
import { renderInstructionPrompt, renderResponsePrompt } from '../shared/templates/render';
import { firstTurn, generatedRecord, type PairOutcome } from './generate-pair';
import { instructionStep, responseStep, tokensOf, type PairContext } from './steps';

/**
 * The authors' system prompt for follow-up questions (exp/gen_mt.py), verbatim: "Al" and the
 * missing space after "thorough," are theirs.
 */
export const MULTI_TURN_SYSTEM_PROMPT =
  'You are a helpful Al assistant. The user will engage in a multi-round conversation with you, asking initial questions and following up with additional related questions. Your goal is to provide thorough,relevant and insightful responses to help the user with their queries.';

export async function generateConversation(
  ctx: PairContext,
  sampleIndex: number,
): Promise<PairOutcome> {
  const { run } = ctx;
  const { template, settings } = run;
  const { turns } = runShape(settings);
  const first = await firstTurn(ctx, sampleIndex);
  if (!('ok' in first)) return first;
  const { seed, plan } = first;
  // The pair's own system prompt (domain, language) stays on replies, as on the first one.
  const responseSystem = settings.systemPromptInResponse === false ? undefined : plan.system;
  let tokens = first.tokens;
  const history: ChatTurn[] = [
    { role: 'user', content: first.instruction },
    { role: 'assistant', content: first.response },
  ];

  for (let turn = 2; turn <= turns; turn++) {
    const ins = await instructionStep(
      ctx,
      renderInstructionPrompt(template, { system: MULTI_TURN_SYSTEM_PROMPT, turns: history }),
      seed,
      { turn },
    );
    if (!ins.ok) {
      return {
        kind: 'drop',
        reason: ins.reason,
        completionTokens: tokens + ins.tokens,
        turn,
        plan,
      };
    }
    tokens += tokensOf(ins.result);
    const { instruction } = ins;
    const res = await responseStep(
      ctx,
      renderResponsePrompt(template, { system: responseSystem, turns: history, instruction }),
      settings.response,
      seed,
      { instruction, turn },
    );
    if (!res.ok)
      return {
        kind: 'drop',
        reason: res.reason,
        completionTokens: tokens + res.tokens,
        turn,
        plan,
      };
    tokens += tokensOf(res.result);
    history.push(
      { role: 'user', content: instruction },
      { role: 'assistant', content: res.response },
    );
  }

  const conversations: Turn[] = history.map((t) => ({
    from: t.role === 'user' ? 'human' : 'gpt',
    value: t.content,
  }));
  return {
    kind: 'pair',
    record: generatedRecord(ctx, first, conversations),
    completionTokens: tokens,
    plan,
    languageMatched: first.languageMatched,
  };
}
