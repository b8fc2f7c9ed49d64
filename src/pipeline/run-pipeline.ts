/**
 * The run loop: N lanes (the engine's concurrency) each make pairs until the run
 * reaches its target; one writer stores finished pairs with the run's counters.
 *
 * Guarantees the UI relies on:
 * - a pair is stored whole (record + counters in one transaction) or not at all;
 *   pairs still in flight when the run stops are discarded, never half stored;
 * - a retryable engine error (a 503, a dropped connection) is retried with backoff;
 *   anything else, or too many in a row, ends the run as 'failed' with the error,
 *   keeping every pair already made;
 * - a storage failure (disk full) ends the run the same way.
 */
import {
  EngineError,
  toErrorInfo,
  type Engine,
  type EngineErrorInfo,
  type ModelDescription,
} from '../shared/engine';
import type { InstructionGate } from '../shared/near-duplicates';
import type { PairRecord } from '../shared/record';
import { withRetries } from '../shared/retry';
import { throttle } from '../shared/throttle';
import {
  DROP_REASON_LABELS,
  type DropCounts,
  type DropReason,
  type LivePair,
  type RunEvent,
  type RunRecord,
  type RunStatus,
  runShape,
} from '../shared/run';
import type { MagpieDB } from '../store/db';
import { commitPairs } from '../store/runs';
import { generateConversation } from './generate-conversation';
import { generatePair } from './generate-pair';
import { copyTally, countInTally, startTally } from './run-tally';
import { generatePreference } from './generate-preference';
import { RunStats } from './run-stats';
import { Slots } from '../shared/slots';

/** A sample faster than this is shown in the live view step by step, not streamed. */
const STREAM_WORTH_MS = 250;
/** Finished pairs are written at most this often: one transaction for all that finished. */
const WRITE_EVERY_MS = 250;

export interface PipelineOptions {
  db: MagpieDB;
  engine: Engine;
  model: ModelDescription;
  run: RunRecord;
  /** Aborted by the user's Stop. */
  signal: AbortSignal;
  onEvent: (event: RunEvent) => void;
  /** Attempts per sample before a retryable error fails the run. */
  maxRetries?: number;
  retryBaseMs?: number;
  progressEveryMs?: number;
  /** Drops in a row after which the run stops: the template or model is likely wrong. */
  maxDropsInARow?: number;
  /** The near-duplicate check before answering; the run's setting decides whether it is used. */
  gate?: InstructionGate;
  /** Lane 0's samples stream to the live view while its last sample took at least this. */
  streamWorthMs?: number;
  /** The least time between two writes of finished pairs (the last ones are written at the end). */
  writeEveryMs?: number;
}

export interface PipelineResult {
  status: RunStatus;
  error?: EngineErrorInfo;
}

export async function runPipeline(opts: PipelineOptions): Promise<PipelineResult> {
  const { db, engine, model, run, onEvent } = opts;
  const maxRetries = opts.maxRetries ?? 3;
  const retryBaseMs = opts.retryBaseMs ?? 500;
  const progressEveryMs = opts.progressEveryMs ?? 200;
  const streamWorthMs = opts.streamWorthMs ?? STREAM_WORTH_MS;
  const writeEveryMs = opts.writeEveryMs ?? WRITE_EVERY_MS;
  const target = run.settings.target;
  const maxDropsInARow = opts.maxDropsInARow ?? 50;
  let dropsInARow = 0;

  // One controller for every request: the user's stop or a fatal error aborts all lanes.
  const inner = new AbortController();
  const onStop = () => inner.abort();
  opts.signal.addEventListener('abort', onStop);
  if (opts.signal.aborted) inner.abort();

  let made = run.made;
  let attempts = run.attempts;
  const dropped: DropCounts = { ...run.dropped };
  const tally = startTally(run);
  let tokens = run.tokens ?? 0;
  let laterTurnDrops = run.laterTurnDrops ?? 0;
  const shape = runShape(run.settings);
  const generate =
    shape.mode === 'preference'
      ? generatePreference
      : shape.turns > 1
        ? generateConversation
        : generatePair;
  const gate = shape.nearDuplicateCheck ? opts.gate : undefined;
  // Judge requests are not batched: one per connection at most, as the Quality view's judge.
  const judgeSlots =
    shape.mode === 'preference'
      ? new Slots(
          model.engine === 'webllm' ? 1 : Math.max(1, model.connections ?? model.concurrency),
        )
      : undefined;
  let accepted = made; // made + queued for writing
  let inProgress = 0;
  let failure: EngineErrorInfo | undefined;
  const queue: PairRecord[] = [];
  const stats = new RunStats();

  const fail = (err: unknown) => {
    failure ??= toErrorInfo(err);
    inner.abort();
  };

  // Trailing: a batch of pairs lands at once, then nothing for a while; its last count shows.
  const progressTick = throttle(() => {
    const progress = stats.progress(run.id, made, target, dropped, engine.activity?.());
    progress.tokensPerKept = made > 0 ? tokens / made : undefined;
    if (laterTurnDrops) progress.laterTurnDrops = laterTurnDrops;
    onEvent({
      type: 'progress',
      progress: tally ? { ...progress, tally: copyTally(tally) } : progress,
    });
  }, progressEveryMs);
  const emitProgress = (force = false) => (force ? progressTick.flush() : progressTick());

  // The writer: whatever finished while the last transaction ran goes in the next.
  let writing: Promise<void> | undefined;
  let dirty = false;
  let lastWriteAt = -Infinity;
  let writeTimer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): Promise<void> => {
    clearTimeout(writeTimer);
    writeTimer = undefined;
    if (writing) {
      dirty = true;
      return writing;
    }
    writing = (async () => {
      do {
        dirty = false;
        lastWriteAt = performance.now();
        const batch = queue.splice(0);
        const counters = {
          made: made + batch.length,
          attempts,
          dropped: { ...dropped },
          ...(tally && { tally: copyTally(tally) }),
          tokens,
          laterTurnDrops,
        };
        try {
          await commitPairs(db, run.id, batch, counters);
          made = counters.made;
        } catch (err) {
          fail(storageError(err));
          return;
        }
        emitProgress(batch.length > 0 && made >= target);
      } while (dirty);
    })().finally(() => (writing = undefined));
    return writing;
  };
  // A transaction costs the thread that runs the engine's messages too (llama.cpp in the tab
  // waits on this thread between tokens), so a fast model's pairs are written a window's
  // worth at a time; a pair slower than the window is still written as soon as it is made.
  const flushSoon = () => {
    if (writeTimer !== undefined) return;
    const wait = lastWriteAt + writeEveryMs - performance.now();
    if (wait <= 0) void flush();
    else writeTimer = setTimeout(() => void flush(), wait);
  };

  // The live view: at most one update per 50 ms, the last one of a step never dropped.
  let latestLive: LivePair | undefined;
  const liveTick = throttle(() => latestLive && onEvent({ type: 'live', live: latestLive }), 50);
  const onLive = (live: LivePair) => {
    latestLive = live;
    liveTick();
  };
  // The live view follows lane 0. Streaming costs the engine per token (llama.cpp in the tab
  // builds, posts and parses a chunk for each), nothing next to a real model's tens of ms a
  // token but most of a tiny or fast model's time; so lane 0 streams a sample only when its
  // last one took longer than the eye follows text (or none finished yet), and a faster
  // sample's steps show whole as each ends.
  let lastSampleMs = Infinity;
  // An engine that runs in sample order (llama.cpp with one slot) gets one lane's order of
  // requests from every lane: a sample asks for its first step once the sample before it has
  // asked for its last. The engine sees what one lane would ask (its prompt cache, and each
  // seed's sample, as with one lane), with the next request already waiting when one ends:
  // the thread's work on the pair that just ended no longer leaves the model idle.
  let handedOver: Promise<void> = Promise.resolve();

  const lane = async (laneIndex: number) => {
    while (!inner.signal.aborted && accepted + inProgress < target) {
      inProgress += 1;
      const sampleIndex = attempts++;
      const followed = laneIndex === 0;
      const myTurn = handedOver;
      let handOver: (() => void) | undefined;
      if (model.inSampleOrder) handedOver = new Promise<void>((r) => (handOver = r));
      let outcome;
      let started = performance.now();
      try {
        await myTurn;
        started = performance.now();
        outcome = await withRetries(
          () =>
            generate(
              {
                engine,
                model,
                run,
                signal: inner.signal,
                onLive: followed ? onLive : undefined,
                streamLive: followed && lastSampleMs >= streamWorthMs,
                gate,
                judgeSlots,
                handOver,
              },
              sampleIndex,
            ),
          inner.signal,
          maxRetries,
          retryBaseMs,
        );
      } catch (err) {
        inProgress -= 1;
        if (!inner.signal.aborted) fail(err);
        return;
      } finally {
        handOver?.();
      }
      inProgress -= 1;
      if (followed) lastSampleMs = performance.now() - started;
      if (inner.signal.aborted) return; // stopped while the last step finished: discard
      stats.record(outcome.completionTokens, outcome.kind === 'pair' ? 1 : 0);
      if (tally) countInTally(tally, outcome);
      tokens += outcome.completionTokens;
      if (outcome.kind === 'pair') {
        accepted += 1;
        dropsInARow = 0;
        stats.recordEngineSpeed(outcome.record.usage.response);
        queue.push(outcome.record);
      } else {
        dropped[outcome.reason] = (dropped[outcome.reason] ?? 0) + 1;
        if ((outcome.turn ?? 1) > 1) laterTurnDrops += 1;
        if (++dropsInARow >= maxDropsInARow) fail(nothingUsable(maxDropsInARow, dropped));
      }
      flushSoon();
      emitProgress();
    }
  };

  const lanes = Math.max(1, Math.min(model.concurrency, target - made));
  await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
  // Everything accepted before the stop is stored, then the final counters.
  clearTimeout(writeTimer);
  while (writing) await writing;
  if (queue.length || attempts !== run.attempts) await flush();
  opts.signal.removeEventListener('abort', onStop);
  liveTick.cancel();
  emitProgress(true);

  if (failure) return { status: 'failed', error: failure };
  if (made >= target) return { status: 'done' };
  return { status: 'stopped' };
}

function nothingUsable(n: number, dropped: DropCounts): EngineError {
  const [reason] = Object.entries(dropped).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0] ?? [
    'empty',
  ];
  return new EngineError(
    'bad-response',
    `The last ${n} samples were all dropped (most often: ${DROP_REASON_LABELS[reason as DropReason]}).`,
    'The model is not producing usable pairs: check that the template family matches the model, and the stop strings and max tokens. Pairs made so far are kept.',
  );
}

/** IndexedDB failures in words: a full disk is the one a user can act on. */
export function storageError(err: unknown): EngineError {
  const name = (err as { name?: string; inner?: { name?: string } })?.name;
  const inner = (err as { inner?: { name?: string } })?.inner?.name;
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return new EngineError(
      'storage-full',
      'The browser refused to store more data: the disk or the site’s storage quota is full.',
      'Every pair made so far is kept. Free disk space or export and delete a dataset, then resume the run.',
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new EngineError(
    'unknown',
    `Saving a pair failed: ${message}`,
    'Pairs stored before this are kept; resume the run to continue.',
  );
}
