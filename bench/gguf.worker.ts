// The GGUF engine's speed on the tiny model and the pipeline's cost on top of it. The
// engine runs as in the app (WllamaEngine in a worker; llama.cpp in wllama's own worker).
import * as Comlink from 'comlink';
import { WllamaEngine } from '../src/engine/wllama/wllama-engine';
import { loadDetectLanguage } from '../src/record-rules/language';
import type {
  CompletionCallOptions,
  CompletionRequest,
  CompletionResult,
  Engine,
  ModelDescription,
} from '../src/shared/engine';
import type { RunSettings } from '../src/shared/run';
import { createDataset } from '../src/store/datasets';
import { MagpieDB } from '../src/store/db';
import { createRun } from '../src/store/runs';
import { settings } from '../src/test-support/fixtures';
import { deriveTemplate } from '../src/shared/templates/derive';
import { timedRun, type TimedRunOptions } from './timed-run';

async function loaded(file: File, threads: number) {
  const engine = new WllamaEngine({
    config: { kind: 'wllama', model: file.name, files: [file], threads, gpuLayers: 0 },
  });
  const started = performance.now();
  const model = await engine.load();
  const loadS = (performance.now() - started) / 1000;
  // The language detector's data, as the app loads it once connected (pipeline.worker.ts):
  // else the first run of a part waits for it (a Stop in `?only=stop`'s first run took 5-6 s).
  await loadDetectLanguage();
  return { engine, model, loadS };
}

/** A dataset for a part's runs, and a run in it with `s` on the loaded tiny model. */
async function runs(db: MagpieDB, model: ModelDescription, s: RunSettings) {
  const template = deriveTemplate(model.chatTemplate!, {
    bosToken: model.bosToken,
    writeBos: false,
  });
  const ds = await createDataset(db, 'bench');
  return () =>
    createRun(db, {
      datasetId: ds.id,
      engine: { kind: 'wllama', model: model.id, threads: 1, gpuLayers: 0 },
      model: model.id,
      template,
      settings: s,
    });
}

/** Decode speed: one long answer that never stops early (no stop strings, greedy). */
async function decode(file: File, threads: number, tokens: number) {
  const { engine, model, loadS } = await loaded(file, threads);
  // A warm-up request, then the measured one.
  await engine.complete({ prompt: 'the', maxTokens: 8, temperature: 0, topP: 1, stop: [] });
  const started = performance.now();
  let total = 0;
  let llamaTime = 0;
  // The model may end its turn (<|im_end|>); keep asking until `tokens` are decoded.
  for (let seed = 0; total < tokens; seed++) {
    const r = await engine.complete({
      prompt: '<|im_start|>user\n',
      maxTokens: tokens - total,
      temperature: 1,
      topP: 1,
      seed,
      stop: [],
    });
    const n = r.usage.completionTokens ?? 0;
    total += n;
    if (r.usage.decodeTokensPerS) llamaTime += n / r.usage.decodeTokensPerS;
  }
  const wall = (performance.now() - started) / 1000;
  await engine.dispose();
  return {
    threads: model.threads ?? threads,
    tokens: total,
    loadS,
    decodeTokensPerS: total / llamaTime,
    wallTokensPerS: total / wall,
  };
}

/**
 * One leg's engine: counts the requests, the tokens they decoded and the time while at least
 * one request is inside `complete` (the rest of a leg is the caller's own work with no request
 * asked), and keeps the requests asked, so the bare legs can replay exactly what the pipeline
 * asked.
 */
class Counting implements Engine {
  readonly kind: Engine['kind'];
  tokens = 0;
  requests: CompletionRequest[] = [];
  insideMs = 0;
  private open = 0;
  private openedAt = 0;
  constructor(
    private readonly inner: Engine,
    /** 'every': each request streams, to a no-op; 'never': none does, whatever the caller asks. */
    private readonly stream?: 'every' | 'never',
  ) {
    this.kind = inner.kind;
  }
  load(signal?: AbortSignal) {
    return this.inner.load(signal);
  }
  async complete(
    req: CompletionRequest,
    options: CompletionCallOptions = {},
  ): Promise<CompletionResult> {
    const asked =
      this.stream === 'every'
        ? { ...options, onDelta: () => undefined }
        : this.stream === 'never'
          ? { signal: options.signal }
          : options;
    if (this.open++ === 0) this.openedAt = performance.now();
    try {
      const r = await this.inner.complete(req, asked);
      this.requests.push(req);
      this.tokens += r.usage.completionTokens ?? 0;
      return r;
    } finally {
      if (--this.open === 0) this.insideMs += performance.now() - this.openedAt;
    }
  }
  dispose() {
    return Promise.resolve();
  }
}

export type LegName =
  'bare' | 'streamed' | 'pipeline' | 'quiet' | 'streaming' | 'perPair' | 'oneLane' | 'bareQueued';
interface Leg {
  tokens: number;
  requests: number;
  pairs: number;
  s: number;
  insideMs: number;
}

/**
 * The pipeline (run loop, checks, tags, IndexedDB writes, live view) against a bare loop of
 * the very requests the pipeline asked (same prompts, seeds and sampling; first recorded in
 * an unmeasured round, in the order it asked them), on the same loaded engine, compared as
 * decoded tokens per second. The bare loop asks one request at a time, as a plain caller
 * would; the pipeline has the next one waiting in llama.cpp's worker when one ends.
 * More legs tell the parts apart: the bare loop streaming every request (what a streamed
 * token costs: wllama sends and parses a chunk per token), the pipeline with no request
 * streamed (the live view off), streaming every sample of its lane 0 (`streaming`), and
 * writing each pair in a transaction of its own (`perPair`), and one lane asking one request
 * at a time (`oneLane`: no request waiting in llama.cpp's worker while this thread works); the
 * bare loop with the next request always waiting there (`bareQueued`) is the most the
 * pipeline's two requests in flight could reach, the round trips to wllama's worker hidden.
 *
 * The legs take turns over several rounds (the order reversed every other round), after one
 * unmeasured round of all of them: V8 compiles llama.cpp's hot WebAssembly functions to its
 * top tier in background threads for seconds after a load, and on two cores that compile
 * took whichever leg ran first (single pairs of legs read 0.55 to 1.95).
 */
async function overhead(file: File, pairs: number, rounds: number, legNames: LegName[]) {
  const { engine: inner, model } = await loaded(file, 1);
  const s = settings({ target: pairs });
  s.instruction.maxTokens = 48;
  s.response.maxTokens = 48;
  s.response.temperature = 1;
  s.keepTruncatedResponses = true;

  const db = new MagpieDB(`magpie-bench-gguf-${Date.now()}`);
  const newRun = await runs(db, model, s);
  const blank = (): Leg => ({ tokens: 0, requests: 0, pairs: 0, s: 0, insideMs: 0 });
  const fresh = () =>
    Object.fromEntries(legNames.map((name) => [name, blank()])) as Record<LegName, Leg>;
  let legs: Partial<Record<LegName, Leg>> = fresh();
  const add = (name: LegName, engine: Counting, seconds: number, made: number) => {
    const leg = legs[name];
    if (!leg) return;
    leg.s += seconds;
    leg.tokens += engine.tokens;
    leg.requests += engine.requests.length;
    leg.insideMs += engine.insideMs;
    leg.pairs += made;
  };
  let script: CompletionRequest[] = [];
  /** `queued`: two in flight, each request asked while the one before it runs. */
  const replay = async (name: LegName, engine: Counting, queued = false) => {
    const started = performance.now();
    if (queued) {
      let previous: Promise<unknown> = Promise.resolve();
      for (const req of script) {
        const asked = engine.complete(req);
        await previous;
        previous = asked;
      }
      await previous;
    } else {
      for (const req of script) await engine.complete(req);
    }
    add(name, engine, (performance.now() - started) / 1000, pairs);
  };
  const piped = async (name: LegName, engine: Counting, variant: TimedRunOptions = {}) => {
    const { seconds, stored } = await timedRun(db, await newRun(), engine, { model, ...variant });
    add(name, engine, seconds, stored);
    return engine.requests;
  };
  const leg = (name: LegName) => {
    switch (name) {
      case 'bare':
        return replay(name, new Counting(inner));
      case 'streamed':
        return replay(name, new Counting(inner, 'every'));
      case 'pipeline':
        // The bare legs replay the latest pipeline run's requests: llama.cpp's sampling is
        // not exactly reproducible from run to run (its prompt cache), so runs differ a little.
        return piped(name, new Counting(inner)).then((asked) => void (script = asked));
      case 'quiet':
        return piped(name, new Counting(inner, 'never'));
      case 'streaming':
        return piped(name, new Counting(inner), { streamWorthMs: 0 });
      case 'perPair':
        return piped(name, new Counting(inner), { writeEveryMs: 0 });
      case 'bareQueued':
        return replay(name, new Counting(inner), true);
      case 'oneLane':
        return piped(name, new Counting(inner), {
          model: { ...model, concurrency: 1, inSampleOrder: false },
        });
    }
  };
  script = await piped('pipeline', new Counting(inner));
  for (let round = -1; round < rounds; round++) {
    if (round === 0) legs = fresh();
    const order = round % 2 === 0 ? legNames : [...legNames].reverse();
    for (const name of order) await leg(name);
  }
  await db.delete();
  await inner.dispose();
  const perS = (leg: Leg) => leg.tokens / leg.s;
  const base = legs.bare ?? legs[legNames[0]!]!;
  const figures = (leg: Leg) => ({
    ...leg,
    tokensPerS: perS(leg),
    ratio: perS(leg) / perS(base),
    msPerPair: (leg.s * 1000) / leg.pairs,
    insideMsPerRequest: leg.insideMs / leg.requests,
    outsideMsPerPair: (leg.s * 1000 - leg.insideMs) / leg.pairs,
  });
  return {
    rounds,
    legs: legNames.map((name) => ({ name, ...figures(legs[name]!) })),
  };
}

/**
 * Stop: a long run on the real engine, stopped mid-generation. Timed from the abort to the
 * engine letting go (the request in flight rejects) and to the run's end (its last writes
 * done, the result the page shows "Run stopped" from). The page's render is not in it.
 */
async function stop(file: File, runForMs: number, times: number) {
  const { engine, model } = await loaded(file, 1);
  const s = settings({ target: 100_000 });
  s.instruction.maxTokens = 256;
  s.response.maxTokens = 256;
  s.keepTruncatedResponses = true;
  const db = new MagpieDB(`magpie-bench-gguf-stop-${Date.now()}`);
  const newRun = await runs(db, model, s);
  const engineMs: number[] = [];
  const runMs: number[] = [];
  let stored = 0;
  for (let i = 0; i < times; i++) {
    const run = await newRun();
    const stopper = new AbortController();
    let abortedAt = 0;
    let letGo = 0;
    // The engine's own view of the stop: when the request in flight rejects.
    const watched: Engine = {
      kind: engine.kind,
      load: (signal) => engine.load(signal),
      complete: (req, options) =>
        engine.complete(req, options).catch((err: unknown) => {
          if (stopper.signal.aborted && !letGo) letGo = performance.now();
          throw err;
        }),
      dispose: () => engine.dispose(),
    };
    const began = performance.now();
    const ran = timedRun(db, run, watched, { model, signal: stopper.signal });
    await new Promise((r) => setTimeout(r, runForMs));
    abortedAt = performance.now();
    stopper.abort();
    const { result, seconds } = await ran;
    const ended = began + seconds * 1000;
    if (result.status !== 'stopped') throw new Error(`run ended ${result.status}, not stopped`);
    engineMs.push((letGo || ended) - abortedAt);
    runMs.push(ended - abortedAt);
  }
  stored = await db.records.count();
  await db.delete();
  await engine.dispose();
  return { engineMs, runMs, stored };
}

const api = { decode, overhead, stop };
export type GgufBench = typeof api;
Comlink.expose(api);
