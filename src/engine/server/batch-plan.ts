/**
 * Which waiting samples go into the next request, and in what shape. Pure, so the
 * request shapes are tested without a server.
 *
 * - Identical prompts with identical sampling (every instruction step of a plain run):
 *   one request with `n`. vLLM (V1 engine) gives sample i of a request with seed s the
 *   seed s + i, so a run of consecutive per-sample seeds k..k+n-1 becomes one request with
 *   seed k and every sample keeps exactly the seed it would have had alone.
 * - Different prompts (response steps, per-pair system prompts, later turns): `prompt` as
 *   an array. vLLM applies the request's one seed to every prompt, so the samples of such a
 *   request report that seed (the smallest of theirs); identical prompts would then give
 *   identical samples, so a seeded array never carries one prompt twice.
 * - Servers without `n` (llama.cpp's server) send identical seeded prompts one per request,
 *   each with its own seed; servers without either (Ollama) get one prompt per request.
 * Seeds are never shared between requests of different samples, so a resumed run (whose
 * sample indices continue after the last attempt) repeats none.
 */
import type { CompletionRequest, ServerBatching } from '../../shared/engine';

export interface Waiting {
  request: CompletionRequest;
}

export interface PlannedRequest<T extends Waiting> {
  /** One prompt, or one per member (in member order). */
  prompt: string | string[];
  /** Samples of the one prompt, when more than one. */
  n?: number;
  seed?: number;
  /** Member i receives choice i (choices sorted by their index). */
  members: T[];
  /** The seed the server applies to each member's sample. */
  seeds: (number | undefined)[];
}

export const NO_BATCHING: ServerBatching = { n: false, promptArrays: false };

/** Everything of a request but its prompt and seed value: what must match to share one request. */
export function samplingKey(r: CompletionRequest): string {
  return JSON.stringify([
    r.maxTokens,
    r.temperature,
    r.topP,
    r.repetitionPenalty ?? 1,
    r.stop,
    r.seed === undefined,
  ]);
}

/** The next request for the oldest waiting sample, with as many compatible others as fit. */
export function nextBatch<T extends Waiting>(
  waiting: readonly T[],
  caps: ServerBatching,
  max: number,
): PlannedRequest<T> {
  const first = waiting[0];
  if (!first) throw new Error('nextBatch needs a waiting sample');
  const { prompt, seed } = first.request;
  const key = samplingKey(first.request);
  const same = max > 1 ? waiting.filter((w) => samplingKey(w.request) === key) : [first];

  if (caps.n) {
    const twins = same.filter((w) => w.request.prompt === prompt);
    const run =
      seed === undefined ? twins.slice(0, max) : consecutiveSeeds(twins, first, seed, max);
    if (run.length > 1) {
      const start = run[0]?.request.seed;
      return {
        prompt,
        n: run.length,
        seed: start,
        members: run,
        seeds: run.map((_, i) => (start === undefined ? undefined : start + i)),
      };
    }
  }
  if (caps.promptArrays) {
    const members: T[] = [];
    const taken = new Set<string>();
    for (const w of same) {
      if (members.length >= max) break;
      if (seed !== undefined && taken.has(w.request.prompt)) continue;
      taken.add(w.request.prompt);
      members.push(w);
    }
    if (members.length > 1) {
      const shared =
        seed === undefined ? undefined : Math.min(...members.map((m) => m.request.seed ?? 0));
      return {
        prompt: members.map((m) => m.request.prompt),
        seed: shared,
        members,
        seeds: members.map(() => shared),
      };
    }
  }
  return { prompt, seed, members: [first], seeds: [seed] };
}

/** The longest run of consecutive seeds through `seed` (at most `max`), in seed order. */
function consecutiveSeeds<T extends Waiting>(twins: T[], first: T, seed: number, max: number): T[] {
  const bySeed = new Map<number, T>();
  for (const t of twins) if (t.request.seed !== undefined) bySeed.set(t.request.seed, t);
  bySeed.set(seed, first); // a retry may wait beside a sample of the same seed: the oldest goes
  let lo = seed;
  let hi = seed;
  while (hi - lo + 1 < max && bySeed.has(lo - 1)) lo--;
  while (hi - lo + 1 < max && bySeed.has(hi + 1)) hi++;
  const run: T[] = [];
  for (let s = lo; s <= hi; s++) run.push(bySeed.get(s) as T);
  return run;
}
