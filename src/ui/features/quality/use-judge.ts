/**
 * The judge job as the page sees it. Its state lives at module level, not in a
 * component: the job goes on in the worker while the user visits other views, and the
 * Quality view shows it again (running, progress, Stop) when it comes back.
 */
import { useSyncExternalStore } from 'react';
import type { JudgeEvent, JudgeProgress, JudgeSettings } from '../../../shared/quality';
import { callWorker, proxy } from '../../lib/generation-worker';

export interface JudgeState {
  running: boolean;
  progress: JudgeProgress | undefined;
  ended: (JudgeEvent & { type: 'ended' }) | undefined;
}

let state: JudgeState = { running: false, progress: undefined, ended: undefined };
const listeners = new Set<() => void>();
const settled = new Set<() => void>();

function set(next: Partial<JudgeState>) {
  state = { ...state, ...next };
  listeners.forEach((l) => l());
}

export async function startJudge(settings: JudgeSettings): Promise<void> {
  if (state.running) return;
  set({ running: true, ended: undefined, progress: undefined });
  const onEvent = (event: JudgeEvent) =>
    set(
      event.type === 'ended'
        ? { progress: event.progress, ended: event }
        : { progress: event.progress },
    );
  try {
    await callWorker((api) => api.judge(settings, proxy(onEvent)));
  } catch (err) {
    set({
      ended: {
        type: 'ended',
        status: 'failed',
        progress: state.progress ?? { total: 0, done: 0, failed: 0, retried: 0, perMinute: 0 },
        error: {
          code: 'unknown',
          message: err instanceof Error ? err.message : String(err),
          hint: 'Every tag stored so far is kept. Connect the model again and tag the rest.',
        },
      },
    });
  } finally {
    set({ running: false });
    settled.forEach((s) => s());
  }
}

export function stopJudge(): void {
  void callWorker((api) => api.stopJudge());
}

/** The judge's state, re-rendering on every change. */
export function useJudge(): JudgeState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

/** Calls `fn` whenever a judge job ends, while subscribed. */
export function onJudgeSettled(fn: () => void): () => void {
  settled.add(fn);
  return () => settled.delete(fn);
}
