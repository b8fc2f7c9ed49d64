/**
 * A generation run in a unit test, end to end: a fresh database per test (deleted after it),
 * a dataset and a run in it, the real pipeline driving whatever engine the test gives. One
 * place, so each pipeline test shows only the run it makes and what it checks.
 */
import { afterEach } from 'vitest';
import type { Engine, EngineConfig } from '../shared/engine';
import type { InstructionGate } from '../shared/near-duplicates';
import type { RunEvent, RunRecord, RunSettings } from '../shared/run';
import type { PromptTemplate } from '../shared/template';
import { createDataset } from '../store/datasets';
import { MagpieDB } from '../store/db';
import { createRun, getRun } from '../store/runs';
import { runPipeline } from '../pipeline/run-pipeline';
import { CHATML, settings } from './fixtures';

const SERVER: EngineConfig = { kind: 'server', baseUrl: 'http://x', model: 'm', concurrency: 1 };

/**
 * Registers the clean-up for the calling test file and returns its run factory: each call
 * opens a new database named `<prefix>-<uuid>` with one dataset and one run.
 */
export function pipelineRuns(prefix: string) {
  const dbs: MagpieDB[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.delete();
  });
  return async function newRun(
    over: Partial<RunSettings> = {},
    shape: { template?: PromptTemplate; engine?: EngineConfig; model?: string } = {},
  ) {
    const db = new MagpieDB(`${prefix}-${crypto.randomUUID()}`);
    dbs.push(db);
    const ds = await createDataset(db, 'd');
    const run = await createRun(db, {
      datasetId: ds.id,
      engine: shape.engine ?? SERVER,
      model: shape.model ?? 'm',
      template: shape.template ?? CHATML,
      settings: settings(over),
    });
    return { db, ds, run };
  };
}

/** Runs the pipeline over `run` (re-read, as the worker does) to its end; events collected. */
export async function runToEnd(
  db: MagpieDB,
  run: RunRecord,
  engine: Engine,
  opts: {
    signal?: AbortSignal;
    gate?: InstructionGate;
    retryBaseMs?: number;
    writeEveryMs?: number;
  } = {},
) {
  const events: RunEvent[] = [];
  const result = await runPipeline({
    db,
    engine,
    model: await engine.load(),
    run: (await getRun(db, run.id))!,
    signal: opts.signal ?? new AbortController().signal,
    onEvent: (e) => events.push(e),
    retryBaseMs: opts.retryBaseMs ?? 1,
    gate: opts.gate,
    writeEveryMs: opts.writeEveryMs,
  });
  return { result, events };
}
