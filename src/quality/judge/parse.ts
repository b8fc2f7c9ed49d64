/**
 * Reads a judge's answer strictly. Small models wrap JSON in ```json fences or prose,
 * or stop mid-object; the object is found wherever it is, and then every field must be
 * there with a label from the exact set (case and spacing aside). Anything else is an
 * error that says what was wrong: never a default.
 */
import type { JudgeTask } from '../../shared/quality';
import { extractJsonObject, NoJsonObject } from '../../shared/json-object';
import {
  DIFFICULTIES,
  INPUT_QUALITIES,
  TASK_CATEGORIES,
  type RecordTags,
} from '../../shared/record';

export type JudgeTags = Pick<
  RecordTags,
  | 'task_category'
  | 'other_task_category'
  | 'input_quality'
  | 'quality_explanation'
  | 'difficulty'
  | 'intent'
  | 'knowledge'
  | 'response_score'
  | 'response_score_reason'
>;

export type Parsed = { ok: true; tags: JudgeTags } | { ok: false; error: string };

class Unusable extends Error {}

function object(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(extractJsonObject(text));
  } catch (err) {
    if (err instanceof Unusable) throw err;
    if (err instanceof NoJsonObject) throw new Unusable(err.message);
    throw new Unusable(`the JSON is malformed (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Unusable('the answer is not a JSON object');
  }
  return value as Record<string, unknown>;
}

const canonical = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

function label<T extends string>(value: unknown, field: string, set: readonly T[]): T {
  if (typeof value !== 'string') throw new Unusable(`"${field}" is missing or not text`);
  const found = set.find((l) => canonical(l) === canonical(value));
  if (!found)
    throw new Unusable(`"${field}" is "${value}", which is not one of: ${set.join(', ')}`);
  return found;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Unusable(`"${field}" is missing or empty`);
  }
  return value.trim();
}

function score(value: unknown): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*(\/\s*10)?\s*$/.test(value)
        ? parseFloat(value)
        : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 10) {
    throw new Unusable(`"score" is ${JSON.stringify(value)}, not a number from 0 to 10`);
  }
  return n;
}

const READERS: Record<JudgeTask, (o: Record<string, unknown>) => JudgeTags> = {
  task_category: (o) => {
    const primary = label(o.primary_tag, 'primary_tag', TASK_CATEGORIES);
    const others = o.other_tags ?? [];
    if (!Array.isArray(others)) throw new Unusable('"other_tags" is not a list');
    const rest = others.map((t) => label(t, 'other_tags', TASK_CATEGORIES));
    return {
      task_category: primary,
      other_task_category: [...new Set(rest)].filter((t) => t !== primary),
    };
  },
  input_quality: (o) => ({
    input_quality: label(o.input_quality, 'input_quality', INPUT_QUALITIES),
    quality_explanation: text(o.explanation, 'explanation'),
  }),
  difficulty: (o) => ({
    difficulty: label(o.difficulty, 'difficulty', DIFFICULTIES),
    intent: text(o.intent, 'intent'),
    knowledge: text(o.knowledge, 'knowledge'),
  }),
  response_score: (o) => ({
    response_score: score(o.score),
    response_score_reason: text(o.reason ?? o.explanation, 'reason').replace(/\s+/g, ' '),
  }),
};

export function parseJudgeAnswer(task: JudgeTask, answer: string): Parsed {
  try {
    return { ok: true, tags: READERS[task](object(answer)) };
  } catch (err) {
    if (err instanceof Unusable) return { ok: false, error: err.message };
    throw err;
  }
}
