/**
 * Judging one record: each task it still needs is asked at temperature 0; an answer that
 * does not parse (or names a label outside the set) is asked again once, with the reason,
 * and if it still fails it becomes a tag failure carrying the raw answer. A request the
 * server keeps failing (retryable errors, after `ask`'s retries) becomes a tag failure
 * too, so one bad record cannot stop a job; other engine errors propagate and stop it.
 */
import { EngineError, type ChatMessage, type Engine } from '../../shared/engine';
import { shownText } from '../../shared/filter';
import type { JudgeTask } from '../../shared/quality';
import type { PairRecord, RecordTags } from '../../shared/record';
import { failedTasks, nextFailure, type FailureItem } from '../../shared/tag-failure';
import { parseJudgeAnswer, type JudgeTags } from './parse';
import { JUDGE_MAX_TOKENS, JUDGE_SCHEMAS, correction, judgePrompt } from './prompts';

/** Which `*_generator` field records the model that filled a task. */
export const GENERATOR_FIELD = {
  task_category: 'task_category_generator',
  input_quality: 'quality_generator',
  difficulty: 'difficulty_generator',
  response_score: 'response_score_generator',
} as const satisfies Record<JudgeTask, keyof RecordTags>;

/** Tasks a record still needs; failed ones only when asked to retry them. */
export function neededTasks(
  r: PairRecord,
  tasks: JudgeTask[],
  retryFailures: boolean,
): JudgeTask[] {
  const failed = failedTasks(r.tag_failure);
  return tasks.filter((t) => r[t] === undefined && (retryFailures || !failed.includes(t)));
}

export interface RecordVerdict {
  changes: Partial<RecordTags>;
  failed: number;
  retried: number;
  /** Tasks whose request the server failed on every try (counted in `failed` too). */
  serverFailures: number;
  lastServerError?: EngineError;
}

export type Ask = (
  messages: ChatMessage[],
  task: JudgeTask,
) => ReturnType<NonNullable<Engine['chat']>>;

export async function judgeRecord(
  record: PairRecord,
  tasks: JudgeTask[],
  ask: Ask,
  generator: string,
): Promise<RecordVerdict> {
  const text = shownText(record);
  const changes: Partial<RecordTags> = {};
  const failures: FailureItem[] = [];
  let retried = 0;
  let serverFailures = 0;
  let lastServerError: EngineError | undefined;
  for (const task of tasks) {
    const messages = judgePrompt(task, text);
    let answer;
    try {
      answer = await ask(messages, task);
    } catch (err) {
      // A server that kept failing on this request (after the retries): the record gets a
      // tag failure a curator can find and ask again, and the job goes on.
      if (!(err instanceof EngineError && err.retryable && err.code !== 'aborted')) throw err;
      serverFailures++;
      lastServerError = err;
      failures.push({ task, raw: '', error: `the server failed on every try: ${err.message}` });
      continue;
    }
    let parsed = parseJudgeAnswer(task, answer.text);
    if (!parsed.ok) {
      retried++;
      const again = [
        ...messages,
        { role: 'assistant' as const, content: answer.text },
        correction(parsed.error),
      ];
      try {
        answer = await ask(again, task);
      } catch (err) {
        if (!(err instanceof EngineError && err.retryable && err.code !== 'aborted')) throw err;
        serverFailures++;
        lastServerError = err;
        failures.push({
          task,
          raw: answer.text,
          error: `asked again, the server failed: ${err.message}`,
        });
        continue;
      }
      parsed = parseJudgeAnswer(task, answer.text);
    }
    if (parsed.ok) {
      Object.assign(changes, parsed.tags satisfies JudgeTags);
      changes[GENERATOR_FIELD[task]] = generator;
    } else {
      const cut = answer.finishReason === 'length' ? ' (the answer hit the token limit)' : '';
      failures.push({ task, raw: answer.text, error: `${parsed.error}${cut}; asked twice` });
    }
  }
  const failure = nextFailure(record.tag_failure, tasks, failures, generator, Date.now());
  if (failure !== record.tag_failure) changes.tag_failure = failure;
  return { changes, failed: failures.length, retried, serverFailures, lastServerError };
}

export function chatRequest(messages: ChatMessage[], task: JudgeTask) {
  return {
    messages,
    temperature: 0,
    maxTokens: JUDGE_MAX_TOKENS[task],
    jsonSchema: JUDGE_SCHEMAS[task],
  };
}
