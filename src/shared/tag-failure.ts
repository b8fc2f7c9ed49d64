/**
 * A record keeps one `tag_failure` (record-schema.ts), yet up to four judge tasks can fail on
 * it. Several failures share the field: tasks joined by ', ', each raw answer under a
 * `=== task ===` line, errors as 'task: error; ...'. One failure reads exactly as the
 * judge gave it. Decoding lets a later retry remove just the tasks that then succeeded.
 */
import { JUDGE_TASKS, type JudgeTask } from './quality';
import type { RecordTags } from './record';

export type TagFailure = NonNullable<RecordTags['tag_failure']>;

export interface FailureItem {
  task: JudgeTask;
  raw: string;
  error: string;
}

const isTask = (t: string): t is JudgeTask => (JUDGE_TASKS as readonly string[]).includes(t);
const TASKS = JUDGE_TASKS.join('|');

export function failedTasks(f: TagFailure | undefined): JudgeTask[] {
  return f ? f.task.split(', ').filter(isTask) : [];
}

export function decodeFailure(f: TagFailure | undefined): FailureItem[] {
  const tasks = failedTasks(f);
  if (!f || tasks.length === 0) return [];
  if (tasks.length === 1) return [{ task: tasks[0] as JudgeTask, raw: f.raw, error: f.error }];
  const raws = new Map<string, string>();
  const parts = f.raw.split(new RegExp(`^=== (${TASKS}) ===\\n`, 'm'));
  for (let i = 1; i < parts.length; i += 2)
    raws.set(parts[i] as string, (parts[i + 1] ?? '').replace(/\n$/, ''));
  const errors = new Map<string, string>();
  const eparts = f.error.split(new RegExp(`(?:^|; )(${TASKS}): `));
  for (let i = 1; i < eparts.length; i += 2) errors.set(eparts[i] as string, eparts[i + 1] ?? '');
  return tasks.map((task) => ({ task, raw: raws.get(task) ?? '', error: errors.get(task) ?? '' }));
}

export function encodeFailure(
  items: FailureItem[],
  generator: string,
  at: number,
): TagFailure | undefined {
  if (items.length === 0) return undefined;
  if (items.length === 1) {
    const [only] = items as [FailureItem];
    return { task: only.task, raw: only.raw, error: only.error, generator, at };
  }
  return {
    task: items.map((i) => i.task).join(', '),
    raw: items.map((i) => `=== ${i.task} ===\n${i.raw}`).join('\n'),
    error: items.map((i) => `${i.task}: ${i.error}`).join('; '),
    generator,
    at,
  };
}

/** The record's failures after a pass that attempted `attempted` and failed `failed`. */
export function nextFailure(
  old: TagFailure | undefined,
  attempted: JudgeTask[],
  failed: FailureItem[],
  generator: string,
  at: number,
): TagFailure | undefined {
  if (failed.length === 0 && !attempted.some((t) => failedTasks(old).includes(t))) return old;
  const kept = decodeFailure(old).filter((i) => !attempted.includes(i.task));
  if (failed.length === 0 && kept.length === 0) return undefined;
  if (failed.length === 0 && old && kept.length > 0) {
    return encodeFailure(kept, old.generator, old.at);
  }
  return encodeFailure([...kept, ...failed], generator, at);
}
