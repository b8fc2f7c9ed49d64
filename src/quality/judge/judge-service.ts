/**
 * "Tag with the model" as the generation worker offers it: the judge runs in that worker,
 * next to the engine it borrows (pipeline.worker.ts hands it the engine's lender), one job
 * at a time. Kept free of Comlink so tests drive it directly.
 */
import type { Engine, ModelDescription } from '../../shared/engine';
import type { JudgeEvent, JudgeSettings } from '../../shared/quality';
import type { MagpieDB } from '../../store/db';
import { runJudge } from './judge-job';

/** Lends the connected engine (undefined when none is); `release` gives it back. */
export type EngineLender = (
  doing: string,
) => { engine: Engine; model: ModelDescription; release(): void } | undefined;

export class JudgeService {
  private judging?: AbortController;

  constructor(
    private readonly db: MagpieDB,
    private readonly lend: EngineLender,
  ) {}

  async judge(settings: JudgeSettings, onEvent: (event: JudgeEvent) => void): Promise<void> {
    const refuse = (message: string, hint: string) =>
      onEvent({
        type: 'ended',
        status: 'failed',
        progress: { total: 0, done: 0, failed: 0, retried: 0, perMinute: 0 },
        error: { code: 'unknown', message, hint },
      });
    if (this.judging) return refuse('Tagging is already running in this tab.', 'Stop it first.');
    const lease = this.lend('Tagging with the model is in progress.');
    if (!lease) {
      return refuse('No model is connected.', 'Connect a model in the Generate view, then tag.');
    }
    const judging = new AbortController();
    this.judging = judging;
    try {
      const { engine, model } = lease;
      await runJudge({ db: this.db, engine, model, settings, signal: judging.signal, onEvent });
    } finally {
      this.judging = undefined;
      lease.release();
    }
  }

  async stopJudge(): Promise<void> {
    this.judging?.abort();
  }
}
