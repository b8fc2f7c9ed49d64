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
    const r = await this.inner.complete(req, options);
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
 * since drop rules make the two paths decode slightly different amounts.
 */
async function overhead(file: File, pairs: number) {
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
  await engine.complete({ prompt: 'the', maxTokens: 8, temperature: 0, topP: 1, stop: [] });

  engine.tokens = 0;
  let started = performance.now();
  for await (const _ of generatePairRequests(engine, template, s, pairs)) void _;
  const bareS = (performance.now() - started) / 1000;
  const bareTokens = engine.tokens;

  const db = new MagpieDB(`magpie-bench-gguf-${Date.now()}`);
  const ds = await createDataset(db, 'bench');
  const run = await createRun(db, {
    datasetId: ds.id,
    engine: { kind: 'wllama', model: model.id, threads: 1, gpuLayers: 0 },
    model: model.id,
    template,
    settings: s,
  });
  engine.tokens = 0;
  started = performance.now();
  await runPipeline({
    db,
    engine,
    model,
    run,
    signal: new AbortController().signal,
    onEvent: () => undefined,
  });
  const pipelineS = (performance.now() - started) / 1000;
  const pipelineTokens = engine.tokens;
  const stored = await db.records.count();
  await db.delete();
  await engine.dispose();
  const bareTokensPerS = bareTokens / bareS;
  const pipelineTokensPerS = pipelineTokens / pipelineS;
  return {
    pairs: stored,
    bareTokens,
    pipelineTokens,
    bareTokensPerS,
    pipelineTokensPerS,
    ratio: pipelineTokensPerS / bareTokensPerS,
  };
}

const api = { decode, overhead };
export type GgufBench = typeof api;
Comlink.expose(api);
