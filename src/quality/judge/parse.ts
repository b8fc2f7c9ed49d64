/**
 * Reads a judge's answer strictly. Small models wrap JSON in ```json fences or prose,
 * or stop mid-object; the object is found wherever it is, and then every field must be
 * there with a label from the exact set (case and spacing aside). Anything else is an
 * error that says what was wrong: never a default.
 */
import type { JudgeTask } from '../../shared/quality';
import {
  DIFFICULTIES,
  INPUT_QUALITIES,
  TASK_CATEGORIES,
  type RecordTags,
} from '../../shared/record';
import { answerObject, readResponseScore, UnusableAnswer } from '../../shared/response-score';

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

const canonical = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

function label<T extends string>(value: unknown, field: string, set: readonly T[]): T {
  if (typeof value !== 'string') throw new UnusableAnswer(`"${field}" is missing or not text`);
  const found = set.find((l) => canonical(l) === canonical(value));
  if (!found)
    throw new UnusableAnswer(`"${field}" is "${value}", which is not one of: ${set.join(', ')}`);
  return found;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UnusableAnswer(`"${field}" is missing or empty`);
  }
  return value.trim();
}

const READERS: Record<JudgeTask, (o: Record<string, unknown>) => JudgeTags> = {
  task_category: (o) => {
    const primary = label(o.primary_tag, 'primary_tag', TASK_CATEGORIES);
    const others = o.other_tags ?? [];
    if (!Array.isArray(others)) throw new UnusableAnswer('"other_tags" is not a list');
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
  response_score: (o) => {
    const { score, reason } = readResponseScore(o);
    return { response_score: score, response_score_reason: reason };
  },
};

export function parseJudgeAnswer(task: JudgeTask, answer: string): Parsed {
  try {
    return { ok: true, tags: READERS[task](answerObject(answer)) };
  } catch (err) {
    if (err instanceof UnusableAnswer) return { ok: false, error: err.message };
    throw err;
  }
}
