/**
 * Prompts for any conversation shape, rendered from the model's own chat template and cut at a
 * sentinel: an optional system message, any number of earlier turns, then the opener of the next
 * user message (instruction step) or of the assistant's reply (response step).
 *
 * Worker-side only (it runs the Jinja library): the pipeline imports it, the page does not.
 */
import {
  instructionPrompt,
  responsePrompt,
  type ChatTemplateSpec,
  type ChatTurn,
  type Conversation,
  type PromptTemplate,
  type ResponseConversation,
} from '../template';
import { parseDay } from './families';
import { renderChatTemplate, SENTINEL, type JinjaMessage } from './jinja';

/** The text the instruction step continues: the model writes the next user message. */
export function renderInstructionPrompt(t: PromptTemplate, c: Conversation): string {
  checkTurns(c.turns);
  if (!t.chat) return bareOnly(t, c, () => instructionPrompt(t));
  return split(t, t.chat, c, false).before;
}

/** The text the response step continues: the model writes the assistant's reply. */
export function renderResponsePrompt(t: PromptTemplate, c: ResponseConversation): string {
  checkTurns(c.turns);
  if (!t.chat) return bareOnly(t, c, () => responsePrompt(t, c.instruction));
  // Templates print the user message as is or trimmed: for a trimmed one, the prompt is the
  // template cut at a sentinel with the instruction put in its place (cached for first turns).
  if (c.instruction === c.instruction.trim() && !c.instruction.includes(SENTINEL)) {
    const { before, after } = split(t, t.chat, c, true);
    return before + c.instruction + after;
  }
  const turns: ChatTurn[] = [...c.turns, { role: 'user', content: c.instruction }];
  return render(t, t.chat, c.system, turns, true);
}

interface Cut {
  before: string;
  after: string;
}

/**
 * First-turn cuts by template and system prompt. A run renders every pair of a first turn from
 * one of a few system prompts; rendering Jinja anew for each would cost more than the rest of the
 * pipeline. Conversations with earlier turns are all different and are not kept.
 */
const firstTurnCuts = new WeakMap<PromptTemplate, Map<string, Cut>>();
const CUTS_KEPT = 256;

function split(
  t: PromptTemplate,
  spec: ChatTemplateSpec,
  c: Conversation,
  addGenerationPrompt: boolean,
): Cut {
  const cacheable = c.turns.length === 0;
  const key = `${addGenerationPrompt ? 'r' : 'i'}${c.system ?? ''}`;
  let cuts = firstTurnCuts.get(t);
  const hit = cacheable ? cuts?.get(key) : undefined;
  if (hit) return hit;
  const turns: ChatTurn[] = [...c.turns, { role: 'user', content: SENTINEL }];
  const text = render(t, spec, c.system, turns, addGenerationPrompt);
  const at = text.indexOf(SENTINEL);
  if (at < 0) throw new Error('The chat template did not print the user message');
  const cut = { before: text.slice(0, at), after: text.slice(at + SENTINEL.length) };
  if (cacheable) {
    if (!cuts) firstTurnCuts.set(t, (cuts = new Map()));
    if (cuts.size >= CUTS_KEPT) cuts.clear();
    cuts.set(key, cut);
  }
  return cut;
}

/**
 * Whether a chat template has a system role: it renders a system message without raising and
 * prints its text. A template without one gets the system text folded into the first user turn.
 */
export function systemRoleOf(spec: Omit<ChatTemplateSpec, 'system'>): ChatTemplateSpec['system'] {
  const probe = 'MAGPIE_STUDIO_SYSTEM_PROBE_2b9e';
  try {
    const text = renderChatTemplate(spec.source, {
      messages: [
        { role: 'system', content: probe },
        { role: 'user', content: SENTINEL },
      ],
      addGenerationPrompt: true,
      bosToken: spec.bosToken,
      eosToken: spec.eosToken,
      date: parseDay(spec.date),
    });
    return text.includes(probe) ? 'native' : 'fold';
  } catch {
    return 'fold';
  }
}

function render(
  t: PromptTemplate,
  spec: ChatTemplateSpec,
  system: string | undefined,
  turns: ChatTurn[],
  addGenerationPrompt: boolean,
): string {
  const messages: JinjaMessage[] = turns.map((m) => ({ role: m.role, content: m.content }));
  if (system) {
    if (spec.system === 'native') messages.unshift({ role: 'system', content: system });
    // turns[0] is a user message (checkTurns): the system text opens it.
    else messages[0] = { role: 'user', content: `${system}\n\n${messages[0]!.content}` };
  }
  const text = renderChatTemplate(spec.source, {
    messages,
    addGenerationPrompt,
    bosToken: spec.bosToken,
    eosToken: spec.eosToken,
    date: parseDay(spec.date),
  });
  // The BOS is written (or left to the server's tokenizer) by the writeBos switch alone.
  const body = t.bos && text.startsWith(t.bos) ? text.slice(t.bos.length) : text;
  return (t.writeBos ? t.bos : '') + body;
}

/** Hand-edited strings know only the single-turn, no-system shape. */
function bareOnly(t: PromptTemplate, c: Conversation, bare: () => string): string {
  if (!c.system && c.turns.length === 0) return bare();
  throw new Error(
    `The template “${t.family}” was edited by hand, so it renders only a first turn without a system prompt. Pick the model’s template family again to use system prompts or several turns.`,
  );
}

function checkTurns(turns: ChatTurn[]): void {
  if (turns.length % 2 !== 0) {
    throw new Error('Earlier turns must be complete user/assistant exchanges');
  }
  turns.forEach((turn, i) => {
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (turn.role !== expected) {
      throw new Error(`Earlier turn ${i + 1} should be a ${expected} message, not ${turn.role}`);
    }
  });
}
