/**
 * Pace of a run over a sliding window, so tokens/s and the ETA follow the engine's
 * current speed rather than an average that includes model loading or a slow start.
 */
import type { CompletionUsage, EngineActivity } from '../shared/engine';
import type { DropCounts, RunProgress } from '../shared/run';

const WINDOW_MS = 30_000;

interface Sample {
  at: number;
  tokens: number;
  pairs: number;
}

export class RunStats {
  private samples: Sample[] = [];
  private readonly startedAt: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.startedAt = now();
  }

  private engineSpeed: Pick<RunProgress, 'decodeTokensPerS' | 'timeToFirstTokenMs'> = {};

  /** The engine's own figures for the latest response (decode speed, time to first token). */
  recordEngineSpeed(usage: CompletionUsage): void {
    this.engineSpeed = {
      decodeTokensPerS: usage.decodeTokensPerS,
      timeToFirstTokenMs: usage.timeToFirstTokenMs,
    };
  }

  record(tokens: number, pairs: number): void {
    const at = this.now();
    this.samples.push({ at, tokens, pairs });
    while (this.samples.length && this.samples[0]!.at < at - WINDOW_MS) this.samples.shift();
  }

  private activity: { at: number; samplesDone: number }[] = [];

  progress(
    runId: string,
    made: number,
    target: number,
    dropped: DropCounts,
    activity?: EngineActivity,
  ): RunProgress {
    const now = this.now();
    const engine: Partial<RunProgress> = {};
    if (activity) {
      // samplesDone counts since the engine was made: the rate is the window's difference.
      this.activity.push({ at: now, samplesDone: activity.samplesDone });
      while (this.activity.length > 2 && this.activity[1]!.at < now - WINDOW_MS) {
        this.activity.shift();
      }
      const first = this.activity[0]!;
      const spanS = (now - first.at) / 1000;
      engine.requestsInFlight = activity.requestsInFlight;
      engine.samplesWaiting = activity.samplesWaiting;
      engine.samplesPerS = spanS > 0 ? (activity.samplesDone - first.samplesDone) / spanS : 0;
    }
    const elapsedMs = now - this.startedAt;
    // Until a full window has passed, the window is the time since start.
    const spanMs = Math.max(1, Math.min(WINDOW_MS, elapsedMs));
    const recent = this.samples.filter((s) => s.at >= now - WINDOW_MS);
    const tokens = recent.reduce((sum, s) => sum + s.tokens, 0);
    const pairs = recent.reduce((sum, s) => sum + s.pairs, 0);
    const pairsPerS = (pairs * 1000) / spanMs;
    const left = Math.max(0, target - made);
    return {
      runId,
      made,
      target,
      dropped: { ...dropped },
      tokensPerS: (tokens * 1000) / spanMs,
      pairsPerMin: pairsPerS * 60,
      etaS: pairsPerS > 0 ? left / pairsPerS : left === 0 ? 0 : undefined,
      elapsedS: elapsedMs / 1000,
      ...this.engineSpeed,
      ...engine,
    };
  }
}
