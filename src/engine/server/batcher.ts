/**
 * The server engine's request queue: lanes ask for one sample each; whatever they ask
 * within a short window (and while every connection is busy) is coalesced into requests
 * planned by batch-plan.ts, at most `connections` on the wire at once. The browser never
 * holds a request back (Chromium allows 6 per HTTP/1.1 host): what waits, waits here,
 * where the live view can count it.
 *
 * A request's failure fails each of its samples, so each lane retries its own pair (the
 * retries coalesce again); a lane's abort leaves the request running for the others and
 * cancels it once none of its samples is wanted.
 */
import type {
  CompletionRequest,
  CompletionResult,
  EngineActivity,
  ServerBatching,
} from '../../shared/engine';
import { nextBatch, type PlannedRequest } from './batch-plan';
import { serverErrors } from './errors';

export interface Sample {
  request: CompletionRequest;
  onDelta?: (delta: string) => void;
  resolve: (result: CompletionResult) => void;
  reject: (err: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  settled: boolean;
  wire?: { controller: AbortController; members: Sample[] };
}

export interface BatcherOptions {
  caps: ServerBatching;
  connections: number;
  batchSize: number;
  /** Sends one planned request; resolves with one result per member, in member order. */
  send: (planned: PlannedRequest<Sample>, signal: AbortSignal) => Promise<CompletionResult[]>;
  /** How long the first waiting sample waits for others (lanes ask within one task). */
  windowMs?: number;
}

export class Batcher {
  private waiting: Sample[] = [];
  private inFlight = 0;
  private done = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly options: BatcherOptions) {}

  submit(
    request: CompletionRequest,
    opts: { signal?: AbortSignal; onDelta?: (delta: string) => void } = {},
  ): Promise<CompletionResult> {
    if (opts.signal?.aborted) return Promise.reject(serverErrors.aborted());
    return new Promise((resolve, reject) => {
      const sample: Sample = {
        request,
        onDelta: opts.onDelta,
        resolve,
        reject,
        signal: opts.signal,
        settled: false,
      };
      sample.onAbort = () => this.abandon(sample);
      opts.signal?.addEventListener('abort', sample.onAbort, { once: true });
      this.waiting.push(sample);
      this.schedule();
    });
  }

  activity(): EngineActivity {
    return {
      requestsInFlight: this.inFlight,
      samplesWaiting: this.waiting.length,
      samplesDone: this.done,
    };
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, this.options.windowMs ?? 2);
  }

  private pump(): void {
    const { caps, connections, batchSize } = this.options;
    while (this.inFlight < connections && this.waiting.length > 0) {
      const planned = nextBatch(this.waiting, caps, batchSize);
      const members = new Set(planned.members);
      this.waiting = this.waiting.filter((s) => !members.has(s));
      void this.dispatch(planned);
    }
  }

  private async dispatch(planned: PlannedRequest<Sample>): Promise<void> {
    this.inFlight++;
    const wire = { controller: new AbortController(), members: planned.members };
    for (const m of planned.members) m.wire = wire;
    try {
      const results = await this.options.send(planned, wire.controller.signal);
      planned.members.forEach((m, i) => {
        const result = results[i];
        if (!result) return this.settle(m, serverErrors.badResponse('fewer choices than asked'));
        // A sample that shares its request streams nothing: the live view gets it whole.
        if (m.onDelta && planned.members.length > 1 && !m.settled) m.onDelta(result.text);
        this.settle(m, undefined, result);
      });
      this.done += planned.members.length;
    } catch (err) {
      for (const m of planned.members) this.settle(m, err);
    } finally {
      this.inFlight--;
      if (this.waiting.length > 0) this.schedule();
    }
  }

  /** A lane stopped waiting: drop its sample; cancel its request if nobody else wants it. */
  private abandon(sample: Sample): void {
    this.waiting = this.waiting.filter((s) => s !== sample);
    this.settle(sample, serverErrors.aborted());
    const wire = sample.wire;
    if (wire && wire.members.every((m) => m.settled)) wire.controller.abort();
  }

  private settle(sample: Sample, err: unknown, result?: CompletionResult): void {
    if (sample.settled) return;
    sample.settled = true;
    if (sample.onAbort) sample.signal?.removeEventListener('abort', sample.onAbort);
    if (result) sample.resolve(result);
    else sample.reject(err);
  }
}
