// The pipeline's own overhead: the real run loop, cleaning and IndexedDB writes in a
// worker, with an engine that answers at once (the model is the only thing left out).
// Also the 3-turn and preference shapes, and what the near-duplicate check before
// answering saves on a stream where instructions repeat.
import * as Comlink from 'comlink';
import { said, ScriptedEngine, type Script } from '../src/engine/scripted/scripted-engine';
import { MinHashGate } from '../src/quality/dedup/instruction-gate';
import { runPipeline } from '../src/pipeline/run-pipeline';
import type { RunSettings } from '../src/shared/run';
import { prng } from '../src/shared/seeded';
import { instructionPrompt } from '../src/shared/template';
import { templateFor } from '../src/shared/templates/families';
import { createDataset } from '../src/store/datasets';
import { MagpieDB } from '../src/store/db';
import { createRun } from '../src/store/runs';
import { CHATML, settings } from '../src/test-support/fixtures';
import { timedRun } from './timed-run';

const RESPONSE =
  'Sorting a list in Python: use sorted(xs) for a new list or xs.sort() in place. '.repeat(8);

type Shape = 'pairs' | '3-turn' | 'preference';

/**
 * `into`: run into this database's dataset (the engine bench: a large dataset present, the
 * dataset worker following); otherwise a fresh database, deleted afterwards.
 */
async function measure(
  pairs: number,
  concurrency: number,
  shape: Shape = 'pairs',
  into?: { dbName: string; datasetId?: string },
) {
  const db = new MagpieDB(into?.dbName ?? `magpie-bench-${Date.now()}`);
  const ds = into?.datasetId
    ? { id: into.datasetId }
    : await createDataset(db, into ? `bench empty ${Date.now()}` : 'bench');
  // Multi-turn prompts are rendered from the model's own chat template (ChatML's here).
  const template = shape === '3-turn' ? templateFor('chatml', { writeBos: false }) : CHATML;
  const over: Partial<RunSettings> =
    shape === '3-turn'
      ? { turns: 3 }
      : shape === 'preference'
        ? { mode: 'preference', preference: { responses: 5, temperature: 0.8, topP: 1 } }
        : {};
  const run = await createRun(db, {
    datasetId: ds.id,
    engine: { kind: 'server', baseUrl: 'http://bench', model: 'scripted-model', concurrency },
    model: 'scripted-model',
    template,
    settings: settings({ target: pairs, nearDuplicateCheck: false, ...over }),
  });
  const userOpener = '<|im_start|>user\n';
  let asked = 0;
  const engine = new ScriptedEngine(
    (req) =>
      req.prompt.endsWith(userOpener)
        ? said(`Question ${asked++}: how do I sort a list of ${asked} numbers in Python?`)
        : said(req.seed !== undefined ? `${RESPONSE} (${req.seed})` : RESPONSE),
    { concurrency },
    // The judge scores by seed, so five responses never tie.
    (req) => {
      const seed = /\((\d+)\)\n```/.exec(req.messages[0]!.content)?.[1] ?? '0';
      return said(`{"reason": "By seed.", "score": ${Number(seed) % 10}}`);
    },
  );
  const { result, seconds, stored } = await timedRun(db, run, engine);
  if (into) db.close();
  else await db.delete();
  return {
    status: result.status,
    pairs: stored,
    seconds,
    pairsPerSecond: stored / seconds,
    concurrency,
  };
}

/**
 * Tokens spent per kept pair on a stream where 30% of instructions repeat an earlier one,
 * with and without the near-duplicate check before answering. "Kept" counts distinct
 * instructions only: without the check, the repeats are paid for and then removed by the
 * near-duplicate filter (the authors keep the first of each cluster), so they are not kept.
 * Instructions ~20 tokens, responses ~200 (words as tokens), the shape of Magpie pairs.
 */
async function nearDuplicateSaving(pairs: number) {
  const figures: { check: boolean; tokensPerKept: number; kept: number; spent: number }[] = [];
  for (const check of [false, true]) {
    const db = new MagpieDB(`magpie-bench-dup-${Date.now()}`);
    const ds = await createDataset(db, 'bench');
    const run = await createRun(db, {
      datasetId: ds.id,
      engine: { kind: 'server', baseUrl: 'http://bench', model: 'scripted-model', concurrency: 1 },
      model: 'scripted-model',
      template: CHATML,
      settings: settings({ target: pairs, nearDuplicateCheck: check }),
    });
    const pre = instructionPrompt(CHATML);
    // Sample k repeats an earlier instruction when (k * 7) % 10 < 3: 30% of the stream.
    let k = 0;
    const seen: string[] = [];
    // Distinct instructions share no phrasing: 14 words drawn from 300 (a template with only
    // the numbers changed is itself a near-duplicate, and the check rightly dropped those).
    const rand = prng(7);
    const WORDS = Array.from({ length: 300 }, (_, i) => `w${i.toString(36)}x${(i * 7919) % 997}`);
    const fresh = () =>
      Array.from({ length: 14 }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ') + '?';
    const script: Script = (req) => {
      if (req.prompt !== pre)
        return said(`${'Here is a careful answer with details. '.repeat(28)}`);
      const repeat = seen.length > 0 && (k * 7) % 10 < 3;
      const text = repeat ? seen[(k * 13) % seen.length]! : fresh();
      if (!repeat) seen.push(text);
      k++;
      return said(text);
    };
    const engine = new ScriptedEngine(script);
    const gate = new MinHashGate();
    await runPipeline({
      db,
      engine,
      model: await engine.load(),
      run,
      signal: new AbortController().signal,
      onEvent: () => undefined,
      gate,
      maxDropsInARow: 1_000,
    });
    const records = await db.records.toArray();
    const distinct = new Set(records.map((r) => r.instruction)).size;
    const stored = (await db.runs.get(run.id))!;
    const spent = stored.tokens ?? 0;
    figures.push({ check, tokensPerKept: spent / distinct, kept: distinct, spent });
    await db.delete();
  }
  return figures;
}

const api = { measure, nearDuplicateSaving };
export type PipelineBench = typeof api;
Comlink.expose(api);
