/**
 * The judge's response score (0-10 with a one-line reason, standing in for the authors'
 * reward model): its prompt, JSON schema and strict reader. Pure text in and out, so both
 * the judge (tagging stored records) and the generation pipeline (scoring a preference
 * run's k responses before choosing) use the very same words and rules.
 */
import type { ChatMessage } from './engine';
import { extractJsonObject, NoJsonObject } from './json-object';

/** An answer the judge gave that cannot be used; the message says why. */
export class UnusableAnswer extends Error {}

const fence = (text: string) => `\`\`\`\n${text}\n\`\`\``;

export function responseScorePrompt(instruction: string, response: string): string {
  return `# Instruction

We would like to request your feedback on the performance of an AI assistant in regard to the instruction and response displayed below.

## User Instruction
${fence(instruction)}

## Assistant Response
${fence(response)}

Please rate the response according to instruction following (does it directly address the instruction?), accuracy (is the information correct?) and presentation (is it logically structured and easy to understand?).

## Output Format
Give a one-line reason, then a score from 0 to 10, where a higher score means a better response, by filling in the placeholders in [...]:
${fence('{\n    "reason": "[one line]",\n    "score": [0-10]\n}')}
`;
}

export const RESPONSE_SCORE_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    reason: { type: 'string' },
    score: { type: 'integer', minimum: 0, maximum: 10 },
  },
  required: ['reason', 'score'],
};

/** Room for the reason, not for an essay. */
export const RESPONSE_SCORE_MAX_TOKENS = 256;

/** What to say when an answer could not be used, so the one retry has a chance. */
export function correction(error: string): ChatMessage {
  return {
    role: 'user',
    content: `That answer could not be used: ${error}. Reply again with only the JSON object in the format above, using labels exactly as listed.`,
  };
}

/** The answer's JSON object; anything else is an UnusableAnswer saying what was wrong. */
export function answerObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(extractJsonObject(text));
  } catch (err) {
    if (err instanceof NoJsonObject) throw new UnusableAnswer(err.message);
    throw new UnusableAnswer(`the JSON is malformed (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnusableAnswer('the answer is not a JSON object');
  }
  return value as Record<string, unknown>;
}

function score(value: unknown): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*(\/\s*10)?\s*$/.test(value)
        ? parseFloat(value)
        : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 10) {
    throw new UnusableAnswer(`"score" is ${JSON.stringify(value)}, not a number from 0 to 10`);
  }
  return n;
}

export interface ResponseScore {
  score: number;
  reason: string;
}

/** Reads a response-score object; throws UnusableAnswer when a field is missing or wrong. */
export function readResponseScore(o: Record<string, unknown>): ResponseScore {
  const reason = o.reason ?? o.explanation;
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new UnusableAnswer('"reason" is missing or empty');
  }
  return { score: score(o.score), reason: reason.trim().replace(/\s+/g, ' ') };
}

export type ParsedScore = ({ ok: true } & ResponseScore) | { ok: false; error: string };

export function parseResponseScore(answer: string): ParsedScore {
  try {
    return { ok: true, ...readResponseScore(answerObject(answer)) };
  } catch (err) {
    if (err instanceof UnusableAnswer) return { ok: false, error: err.message };
    throw err;
  }
}
