/**
 * The drop rules between the two Magpie steps. An instruction that fails one is
 * counted under its reason and never reaches the response step.
 */
import type { FinishReason } from '../shared/engine';
import type { DropReason, RunSettings } from '../shared/run';
import { hasLeakedTemplateTokens } from '../record-rules/template-tokens';
import { looksLikeSelfAnswer, sanitizeInstruction } from './sanitize';

export type InstructionVerdict =
  { ok: true; instruction: string } | { ok: false; reason: DropReason };

export function checkInstruction(
  raw: string,
  finish: FinishReason,
  settings: Pick<RunSettings, 'sanitize' | 'minInstructionChars'>,
): InstructionVerdict {
  // No stop reached means the model never closed its turn: the authors drop these.
  if (finish === 'length') return { ok: false, reason: 'instruction-length' };
  if (!raw.trim()) return { ok: false, reason: 'empty' };
  if (hasLeakedTemplateTokens(raw)) return { ok: false, reason: 'leaked-template' };
  if (looksLikeSelfAnswer(raw)) return { ok: false, reason: 'self-answer' };
  const instruction = (settings.sanitize ? sanitizeInstruction(raw) : raw).trim();
  if (!instruction) return { ok: false, reason: 'empty' };
  if (instruction.length < settings.minInstructionChars) return { ok: false, reason: 'too-short' };
  return { ok: true, instruction };
}

export type ResponseVerdict = { ok: true; response: string } | { ok: false; reason: DropReason };

export function checkResponse(
  text: string,
  finish: FinishReason,
  settings: Pick<RunSettings, 'keepTruncatedResponses'>,
): ResponseVerdict {
  const response = text.trim();
  if (!response) return { ok: false, reason: 'response-empty' };
  if (finish === 'length' && !settings.keepTruncatedResponses) {
    return { ok: false, reason: 'response-length' };
  }
  return { ok: true, response };
}
