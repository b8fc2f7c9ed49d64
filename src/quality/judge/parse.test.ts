import { describe, expect, it } from 'vitest';
import { parseJudgeAnswer } from './parse';

// Answers in the shapes small instruct models give at temperature 0.
const VALID_CATEGORY = `{
    "primary_tag": "Coding & Debugging",
    "other_tags": ["Information seeking", "Coding & Debugging"]
}`;

const FENCED_QUALITY = `\`\`\`json
{
    "explanation": "The query is clear and specific: it names the language (Python) and the task (sorting a list of numbers). It could say whether the sort must be in place.",
    "input_quality": "good"
}
\`\`\``;

const PROSE_DIFFICULTY = `Sure! Here is my assessment of the query.

{
  "intent": "The user wants to convert a distance from miles to kilometres.",
  "knowledge": "To solve this problem, the models need to know the conversion factor between miles and kilometres (1 mile = 1.609 km).",
  "difficulty": "Very Easy"
}

Let me know if you need anything else!`;

const TRUNCATED_QUALITY = `{
    "explanation": "The query asks for a haiku about cats, which is clear, but it does not say what aspect of cats the poem should focus on, nor`;

describe('judge answers', () => {
  it('reads a valid task category, dropping the primary from the others', () => {
    expect(parseJudgeAnswer('task_category', VALID_CATEGORY)).toEqual({
      ok: true,
      tags: { task_category: 'Coding & Debugging', other_task_category: ['Information seeking'] },
    });
  });

  it('reads an answer fenced in ```json', () => {
    const parsed = parseJudgeAnswer('input_quality', FENCED_QUALITY);
    expect(parsed).toMatchObject({ ok: true, tags: { input_quality: 'good' } });
    expect(parsed.ok && parsed.tags.quality_explanation).toMatch(/^The query is clear/);
  });

  it('finds the object inside extra prose and maps labels that differ only in case', () => {
    expect(parseJudgeAnswer('difficulty', PROSE_DIFFICULTY)).toMatchObject({
      ok: true,
      tags: {
        difficulty: 'very easy',
        intent: 'The user wants to convert a distance from miles to kilometres.',
      },
    });
  });

  it('rejects a truncated answer, saying it was cut off', () => {
    expect(parseJudgeAnswer('input_quality', TRUNCATED_QUALITY)).toEqual({
      ok: false,
      error: expect.stringMatching(/cut off/),
    });
  });

  it('rejects a label outside the set, naming it', () => {
    const wrong = '{"primary_tag": "Cooking", "other_tags": []}';
    const parsed = parseJudgeAnswer('task_category', wrong);
    expect(parsed).toEqual({ ok: false, error: expect.stringContaining('"Cooking"') });
  });

  it('rejects a wrong label among the other tags and an echoed placeholder', () => {
    expect(
      parseJudgeAnswer('task_category', '{"primary_tag": "Math", "other_tags": ["<tag 1>"]}').ok,
    ).toBe(false);
    expect(
      parseJudgeAnswer(
        'input_quality',
        '{"explanation": "[...]", "input_quality": "[very poor/poor/average/good/excellent]"}',
      ).ok,
    ).toBe(false);
  });

  it('rejects a missing field instead of defaulting it', () => {
    const parsed = parseJudgeAnswer('difficulty', '{"intent": "x", "difficulty": "easy"}');
    expect(parsed).toEqual({ ok: false, error: '"knowledge" is missing or empty' });
  });

  it('reads a response score given as a number or as text, with its reason on one line', () => {
    expect(
      parseJudgeAnswer('response_score', '{"reason": "Correct,\\n clear steps.", "score": 8}'),
    ).toEqual({
      ok: true,
      tags: { response_score: 8, response_score_reason: 'Correct, clear steps.' },
    });
    expect(
      parseJudgeAnswer('response_score', '{"reason": "Mostly right.", "score": "7/10"}'),
    ).toMatchObject({ ok: true, tags: { response_score: 7 } });
  });

  it('rejects a score outside 0..10', () => {
    expect(parseJudgeAnswer('response_score', '{"reason": "Great", "score": 42}').ok).toBe(false);
  });

  it('rejects malformed JSON and an answer with no object at all', () => {
    expect(parseJudgeAnswer('difficulty', "{'intent': 'single quotes'}")).toEqual({
      ok: false,
      error: expect.stringMatching(/malformed/),
    });
    expect(parseJudgeAnswer('difficulty', 'The difficulty is easy.')).toEqual({
      ok: false,
      error: 'no JSON object in the answer',
    });
  });

  it('is not fooled by braces inside strings', () => {
    const answer = '{"explanation": "Uses {braces} and \\"quotes\\"", "input_quality": "average"}';
    expect(parseJudgeAnswer('input_quality', answer)).toMatchObject({
      ok: true,
      tags: { input_quality: 'average' },
    });
  });
});
