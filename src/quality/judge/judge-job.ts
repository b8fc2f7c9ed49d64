/**
 * "Tag with the model": a resumable job over the records that still lack the chosen tags.
 * It runs in the pipeline worker with the connected engine, alongside generation if one
 * runs (WebLLM queues the two; a server takes both). Each record's tags are written as
 * soon as it is judged, so a stop, a crash or a reload loses at most the records in
 * flight, and the next job starts where this one ended. Records stored while the job
 * runs are picked up before it ends.
 */
import { EngineError, toErrorInfo, type Engine, type ModelDescription } from '../../shared/engine';
import type { JudgeEvent, JudgeProgress, JudgeSettings } from '../../shared/quality';
import { withRetries } from '../../shared/retry';
import { throttle } from '../../shared/throttle';
import type { MagpieDB } from '../../store/db';
import { derivedFields, getRecord, writeDerived } from '../../store/derived';
import { scanDataset } from '../../store/record-chunks';
import { chatRequest, judgeRecord, neededTasks, type Ask } from './judge-record';

export interface JudgeJobOptions {
  db: MagpieDB;
  engine: Engine;
  model: ModelDescription;
  settings: JudgeSettings;
  signal: AbortSignal;
  onEvent: (event: JudgeEvent) => void;
  /** Attempts per request on retryable engine errors (a 503, a dropped connection). */
  maxAttempts?: number;
  retryBaseMs?: number;
  progressEveryMs?: number;
  /** Records in a row whose every request the server failed, after which the job stops. */
  maxServerFailuresInARow?: number;
}

export async function runJudge(opts: JudgeJobOptions): Promise<JudgeEvent & { type: 'ended' }> {
  const { db, engine, model, settings, onEvent } = opts;
  const started = performance.now();
  const progress: JudgeProgress = { total: 0, done: 0, failed: 0, retried: 0, perMinute: 0 };
  const ended = (status: 'done' | 'stopped' | 'failed', error?: EngineError | unknown) => {
    progress.perMinute = rate(progress.done, started);
    const event: JudgeEvent & { type: 'ended' } = {
      type: 'ended',
      status,
      progress: { ...progress },
    };
    if (error) event.error = toErrorInfo(error);
    onEvent(event);
    return event;
  };
  const chat = engine.chat?.bind(engine);
  if (!chat) {
    return ended(
      'failed',
      new EngineError(
        'unknown',
        'This engine cannot act as a judge (it has no chat completions).',
        'Connect a completion server or a browser model.',
      ),
    );
  }

  const inner = new AbortController();
  const stop = () => inner.abort();
  opts.signal.addEventListener('abort', stop);
  if (opts.signal.aborted) inner.abort();
  let fatal: unknown;

  const ask: Ask = (messages, task) =>
    withRetries(
      () => chat(chatRequest(messages, task), { signal: inner.signal }),
      inner.signal,
      opts.maxAttempts ?? 3,
      opts.retryBaseMs ?? 500,
    );

  // Trailing: the last update of a burst is sent when its window ends, not dropped.
  const emit = throttle(() => {
    progress.perMinute = rate(progress.done, started);
    onEvent({ type: 'progress', progress: { ...progress } });
  }, opts.progressEveryMs ?? 250);

  let downInARow = 0;
  const maxDownInARow = opts.maxServerFailuresInARow ?? 5;
  const seen = new Set<string>();
  const queue: string[] = [];
  let from: number | undefined;
  const collect = async () => {
    let found = 0;
    await scanDataset(
      db,
      settings.datasetId,
      (page) => {
        for (const r of page) {
          from = Math.max(from ?? -Infinity, r.createdAt);
          if (seen.has(r.uuid)) continue;
          seen.add(r.uuid);
          if (neededTasks(r, settings.tasks, settings.retryFailures).length === 0) continue;
          queue.push(r.uuid);
          found++;
        }
      },
      { from, signal: inner.signal },
    );
    progress.total += found;
    return found;
  };

  const lane = async () => {
    for (
      let uuid = queue.shift();
      uuid !== undefined && !inner.signal.aborted;
      uuid = queue.shift()
    ) {
      const record = await getRecord(db, uuid);
      const tasks = record ? neededTasks(record, settings.tasks, settings.retryFailures) : [];
      if (record && tasks.length) {
        try {
          const verdict = await judgeRecord(record, tasks, ask, model.id);
          if (inner.signal.aborted) return; // stopped mid-record: its answers are dropped
          // The tags go to the record's derived row: its texts are not rewritten.
          await writeDerived(db, settings.datasetId, [
            { uuid, fields: derivedFields(verdict.changes) },
          ]);
          progress.failed += verdict.failed;
          progress.retried += verdict.retried;
          // Every task of several records in a row failing on the server: it is down, stop.
          downInARow = verdict.serverFailures === tasks.length ? downInARow + 1 : 0;
          if (downInARow >= maxDownInARow) throw verdict.lastServerError;
        } catch (err) {
          if (!inner.signal.aborted) {
            fatal ??= err;
            inner.abort();
          }
          return;
        }
      }
      progress.done++;
      emit();
    }
  };

  try {
    await collect();
    emit.flush();
    // Judge requests are not batched: one lane per connection.
    const lanes =
      model.engine === 'webllm' ? 1 : Math.max(1, model.connections ?? model.concurrency);
    while (queue.length && !inner.signal.aborted) {
      await Promise.all(Array.from({ length: Math.min(lanes, queue.length) }, lane));
      if (!inner.signal.aborted) await collect(); // pairs generated meanwhile
    }
  } catch (err) {
    fatal ??= err;
  } finally {
    emit.cancel(); // the 'ended' event carries the final counts
    opts.signal.removeEventListener('abort', stop);
  }
  if (fatal) return ended('failed', fatal);
  return ended(opts.signal.aborted ? 'stopped' : 'done');
}

function rate(done: number, started: number): number {
  const minutes = (performance.now() - started) / 60_000;
  return minutes > 0 ? Math.round(done / minutes) : 0;
}
