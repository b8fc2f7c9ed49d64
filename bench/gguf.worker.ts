// The GGUF engine's speed on the tiny model and the pipeline's cost on top of it. The
// engine runs as in the app (WllamaEngine in a worker; llama.cpp in wllama's own worker).
import * as Comlink from 'comlink';
import { WllamaEngine } from '../src/engine/wllama/wllama-engine';
import { runPipeline } from '../src/pipeline/run-pipeline';
import { generatePairRequests } from './gguf-requests';
import type {
  CompletionCallOptions,
  CompletionRequest,
  CompletionResult,
  Engine,
} from '../src/shared/engine';
import { createDataset } from '../src/store/datasets';
import { MagpieDB } from '../src/store/db';
import { createRun } from '../src/store/runs';
import { settings } from '../src/test-support/fixtures';
import { deriveTemplate } from '../src/shared/templates/derive';

async function loaded(file: File, threads: number) {
  const engine = new WllamaEngine({
    config: { kind: 'wllama', model: file.name, files: [file], threads, gpuLayers: 0 },
  });
  const started = performance.now();
  const model = await engine.load();
  return { engine, model, loadS: (performance.now() - started) / 1000 };
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

/** Counts the tokens every request decoded, whoever made it. */
class Counting implements Engine {
  readonly kind: Engine['kind'];
  tokens = 0;
  /** Asks every request to stream (as the live view's sample does), to a no-op. */
  stream = false;
  constructor(private readonly inner: Engine) {
    this.kind = inner.kind;
  }
  load(signal?: AbortSignal) {
    return this.inner.load(signal);
  }
  async complete(
    req: CompletionRequest,
    options?: CompletionCallOptions,
  ): Promise<CompletionResult> {
    const streamed = this.stream ? { ...options, onDelta: () => undefined } : options;
    const r = await this.inner.complete(req, streamed);
    this.tokens += r.usage.completionTokens ?? 0;
    return r;
  }
  dispose() {
    return this.inner.dispose();
  }
}

/**
 * The pipeline (run loop, checks, tags, IndexedDB writes, live view) against a bare loop
 * of the same requests on the same loaded engine; compared as decoded tokens per second,
 * since drop rules make the two paths decode slightly different amounts. A third leg, the
 * bare loop streaming every request, tells what streaming alone costs (wllama sends and
 * parses a chunk per token). The legs take turns over several rounds (the order reversed
 * every other round), so warm-up and the machine's
 * other load fall on both alike; a single pair of legs read 0.90 one run and 1.95 the next.
 */
async function overhead(file: File, pairs: number, rounds: number) {
  const { engine: inner, model } = await loaded(file, 1);
  const engine = new Counting(inner);
  const template = deriveTemplate(model.chatTemplate!, {
    bosToken: model.bosToken,
    writeBos: false,
  });
  const s = settings({ target: pairs });
  s.instruction.maxTokens = 48;
  s.response.maxTokens = 48;
  s.response.temperature = 1;
  s.keepTruncatedResponses = true;
  for (let i = 0; i < 4; i++)
    await engine.complete({
      prompt: 'the',
      maxTokens: 32,
      temperature: 1,
      topP: 1,
      seed: i,
      stop: [],
    });

  const db = new MagpieDB(`magpie-bench-gguf-${Date.now()}`);
  const ds = await createDataset(db, 'bench');
  const legs = {
    bare: { tokens: 0, s: 0 },
    streamed: { tokens: 0, s: 0 },
    pipeline: { tokens: 0, s: 0 },
  };
  const timed = async (leg: keyof typeof legs, work: () => Promise<unknown>) => {
    engine.tokens = 0;
    const started = performance.now();
    await work();
    legs[leg].s += (performance.now() - started) / 1000;
    legs[leg].tokens += engine.tokens;
  };
  const bare = () =>
    timed('bare', async () => {
      for await (const _ of generatePairRequests(engine, template, s, pairs)) void _;
    });
  const streamed = () =>
    timed('streamed', async () => {
      engine.stream = true;
      for await (const _ of generatePairRequests(engine, template, s, pairs)) void _;
      engine.stream = false;
    });
  const piped = () =>
    timed('pipeline', async () => {
      const run = await createRun(db, {
        datasetId: ds.id,
        engine: { kind: 'wllama', model: model.id, threads: 1, gpuLayers: 0 },
        model: model.id,
        template,
        settings: s,
      });
      await runPipeline({
        db,
        engine,
        model,
        run,
        signal: new AbortController().signal,
        onEvent: () => undefined,
      });
    });
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      await bare();
      await streamed();
      await piped();
    } else {
      await piped();
      await streamed();
      await bare();
    }
  }
  const stored = await db.records.count();
  await db.delete();
  await engine.dispose();
  const bareTokensPerS = legs.bare.tokens / legs.bare.s;
  const pipelineTokensPerS = legs.pipeline.tokens / legs.pipeline.s;
  return {
    pairs: stored,
    rounds,
    bareTokens: legs.bare.tokens,
    pipelineTokens: legs.pipeline.tokens,
    bareTokensPerS,
    pipelineTokensPerS,
    ratio: pipelineTokensPerS / bareTokensPerS,
    streamedRatio: legs.streamed.tokens / legs.streamed.s / bareTokensPerS,
    msPerPair: {
      bare: (legs.bare.s * 1000) / (rounds * pairs),
      streamed: (legs.streamed.s * 1000) / (rounds * pairs),
      pipeline: (legs.pipeline.s * 1000) / stored,
    },
  };
}

/**
 * Stop: a long run on the real engine, stopped mid-generation. Timed from the abort to the
 * engine letting go (the request in flight rejects) and to the run's end (its last writes
 * done, the result the page shows "Run stopped" from). The page's render is not in it.
 */
async function stop(file: File, runForMs: number, times: number) {
  const { engine, model } = await loaded(file, 1);
  const template = deriveTemplate(model.chatTemplate!, {
    bosToken: model.bosToken,
    writeBos: false,
  });
  const s = settings({ target: 100_000 });
  s.instruction.maxTokens = 256;
  s.response.maxTokens = 256;
  s.keepTruncatedResponses = true;
  const db = new MagpieDB(`magpie-bench-gguf-stop-${Date.now()}`);
  const ds = await createDataset(db, 'bench');
  const engineMs: number[] = [];
  const runMs: number[] = [];
  let stored = 0;
  for (let i = 0; i < times; i++) {
    const run = await createRun(db, {
      datasetId: ds.id,
      engine: { kind: 'wllama', model: model.id, threads: 1, gpuLayers: 0 },
      model: model.id,
      template,
      settings: s,
    });
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
    const ran = runPipeline({
      db,
      engine: watched,
      model,
      run,
      signal: stopper.signal,
      onEvent: () => undefined,
    });
    await new Promise((r) => setTimeout(r, runForMs));
    abortedAt = performance.now();
    stopper.abort();
    const result = await ran;
    const ended = performance.now();
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
