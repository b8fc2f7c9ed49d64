/**
 * The one convention every worker API follows: a call that can fail in a way the user must
 * see answers an Outcome (a plain message and a hint, never a thrown error across threads);
 * calls that cannot fail but by the worker dying answer nothing (stop, cancel); a long job
 * that reports events ends with an 'ended' event carrying its error. The page's worker
 * client (src/ui/lib/worker-client.ts) turns a dead worker into a failed Outcome too.
 */
import { toErrorInfo, type EngineErrorInfo } from './engine';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: EngineErrorInfo };

/** Runs `work` and answers its value, or its error explained (by `explain`, or as an engine error). */
export async function outcome<T>(
  work: () => Promise<T>,
  explain: (err: unknown) => EngineErrorInfo = toErrorInfo,
): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    return { ok: false, error: explain(err) };
  }
}
