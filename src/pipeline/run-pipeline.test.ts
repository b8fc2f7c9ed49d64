import { describe, expect, it } from 'vitest';
import { said, ScriptedEngine, type Script } from '../engine/scripted/scripted-engine';
import { EngineError, type Engine } from '../shared/engine';
import type { RunEvent, RunRecord } from '../shared/run';
import { instructionPrompt } from '../shared/template';
import { CHATML } from '../test-support/fixtures';
import { pipelineRuns, runToEnd } from '../test-support/pipeline-harness';
import type { MagpieDB } from '../store/db';
import { recentRecords } from '../store/records';
import { getRun } from '../store/runs';

const setup = pipelineRuns('pipe');

const isInstruction = (prompt: string) => prompt === instructionPrompt(CHATML);

/** Instructions "Question k about sorting lists?" and answers "Answer to k.". */
const wellBehaved: Script = (req, call) =>
  isInstruction(req.prompt)
    ? said(`Question ${call} about sorting lists?`)
    : said(`Answer to ${call}.`);

async function go(
  db: MagpieDB,
  run: RunRecord,
  script: Script,
  opts: {
    concurrency?: number;
    signal?: AbortSignal;
    events?: RunEvent[];
    writeEveryMs?: number;
  } = {},
) {
  const engine = new ScriptedEngine(script, { concurrency: opts.concurrency ?? 1 });
  const { result, events } = await runToEnd(db, run, engine, {
    signal: opts.signal,
    writeEveryMs: opts.writeEveryMs,
  });
  opts.events?.push(...events);
  return { result, engine };
}

describe('runPipeline', () => {
  it('makes the target number of pairs with the exact Magpie prompts and sampling', async () => {
    const { db, ds, run } = await setup({ target: 3, seed: 40 });
    const { result, engine } = await go(db, run, wellBehaved);
    expect(result.status).toBe('done');
    const [ins, res] = engine.requests;
    expect(ins).toEqual({
      prompt: '<|im_start|>user\n',
      maxTokens: 64,
      temperature: 1,
      topP: 1,
      repetitionPenalty: 1,
      seed: 40,
      stop: ['<|im_end|>', '<|im_start|>', 'assistant', '\n'],
    });
    expect(res).toEqual({
      prompt:
        '<|im_start|>user\nQuestion 0 about sorting lists?<|im_end|>\n<|im_start|>assistant\n',
      maxTokens: 128,
      temperature: 0.6,
      topP: 0.9,
      repetitionPenalty: 1,
      seed: 40,
      stop: ['<|im_end|>', '<|im_start|>'],
    });
    expect(engine.requests.filter((r) => isInstruction(r.prompt)).map((r) => r.seed)).toEqual([
      40, 41, 42,
    ]);
    const records = await recentRecords(db, ds.id, 10);
    expect(records).toHaveLength(3);
    const first = records.find((r) => r.instruction === 'Question 0 about sorting lists?')!;
    expect(first).toMatchObject({
      response: 'Answer to 1.',
      conversations: [
        { from: 'human', value: 'Question 0 about sorting lists?' },
        { from: 'gpt', value: 'Answer to 1.' },
      ],
      instruction_length: 31,
      response_length: 12,
      gen_input_configs: {
        pre_query_template: '<|im_start|>user\n',
        seed: 40,
        input_generator: 'scripted-model',
      },
      finish: { instruction: 'stop', response: 'stop' },
      review: 'unreviewed',
      language: 'en',
      incomplete: false,
      leaked_template: false,
    });
    expect(await getRun(db, run.id)).toMatchObject({ made: 3, attempts: 3 });
  });

  it('drops bad samples by reason and still reaches the target', async () => {
    const { db, ds, run } = await setup({ target: 2 });
    const instructions = [
      said('', 'stop'),
      said('What is the capital of France and why', 'length'),
      said('<|im_start|>system leaked'),
      said('Hi?'),
      said('Explain quicksort in simple terms?'), // response empty
      said('Explain mergesort in simple terms?'), // response cut
      said('Explain heapsort in simple terms?'),
      said('Explain bubble sort in simple terms?'),
    ];
    const responses = [
      said('   '),
      said('Merge sort splits', 'length'),
      said('Heapsort builds a heap.'),
      said('Bubble.'),
    ];
    let i = 0;
    let r = 0;
    const { result } = await go(db, run, (req) =>
      isInstruction(req.prompt) ? instructions[i++]! : responses[r++]!,
    );
    expect(result.status).toBe('done');
    expect(await getRun(db, run.id)).toMatchObject({
      made: 2,
      attempts: 8,
      dropped: {
        empty: 1,
        'instruction-length': 1,
        'leaked-template': 1,
        'too-short': 1,
        'response-empty': 1,
        'response-length': 1,
      },
    });
    expect((await recentRecords(db, ds.id, 10)).map((x) => x.instruction).sort()).toEqual([
      'Explain bubble sort in simple terms?',
      'Explain heapsort in simple terms?',
    ]);
  });

  it('keeps responses cut by the token limit when asked, marked as such', async () => {
    const { db, ds, run } = await setup({ target: 1, keepTruncatedResponses: true });
    await go(db, run, (req) =>
      isInstruction(req.prompt)
        ? said('Write a long essay on rivers?')
        : said('Rivers are', 'length'),
    );
    const [rec] = await recentRecords(db, ds.id, 1);
    expect(rec?.finish).toEqual({ instruction: 'stop', response: 'length' });
  });

  it('stops on request keeping finished pairs only, and resumes to the target with fresh seeds', async () => {
    const { db, ds, run } = await setup({ target: 6 });
    const stop = new AbortController();
    let pairs = 0;
    const first = await go(
      db,
      run,
      async (req, call) => {
        if (!isInstruction(req.prompt) && ++pairs === 3) stop.abort(); // stop during the 3rd response
        return wellBehaved(req, call);
      },
      { signal: stop.signal },
    );
    expect(first.result.status).toBe('stopped');
    const stored = await recentRecords(db, ds.id, 10);
    expect(stored).toHaveLength(2);
    expect(await getRun(db, run.id)).toMatchObject({ made: 2, attempts: 3 });

    const second = await go(db, run, wellBehaved);
    expect(second.result.status).toBe('done');
    expect(await recentRecords(db, ds.id, 10)).toHaveLength(6);
    const seeds = second.engine.requests.filter((r) => isInstruction(r.prompt)).map((r) => r.seed);
    expect(seeds).toEqual([3, 4, 5, 6]);
  });

  it('keeps N requests in flight and never overshoots the target', async () => {
    const { db, ds, run } = await setup({ target: 10 });
    let inFlight = 0;
    let peak = 0;
    await go(
      db,
      run,
      async (req, call) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return wellBehaved(req, call);
      },
      { concurrency: 4 },
    );
    expect(peak).toBe(4);
    expect(await recentRecords(db, ds.id, 20)).toHaveLength(10);
  });

  it('an engine running in sample order gets one lane’s requests, the next sample’s first asked during the last one’s response', async () => {
    // Every third instruction is empty (dropped before its response); each request takes a while.
    const script: Script = async (req, call) => {
      await new Promise((r) => setTimeout(r, 2));
      if (isInstruction(req.prompt) && (req.seed ?? 0) % 3 === 1) return said('');
      return wellBehaved(req, call);
    };
    const asked = async (description: { concurrency: number; inSampleOrder?: boolean }) => {
      const { db, ds, run } = await setup({ target: 8 });
      let inFlight = 0;
      const overlaps: string[] = [];
      const engine = new ScriptedEngine(async (req, call) => {
        const kind = isInstruction(req.prompt) ? 'instruction' : 'response';
        if (inFlight++ > 0) overlaps.push(`${kind} ${req.seed}`);
        try {
          return await script(req, call);
        } finally {
          inFlight--;
        }
      }, description);
      const { result } = await runToEnd(db, run, engine);
      expect(result.status).toBe('done');
      const records = await recentRecords(db, ds.id, 20);
      return {
        order: engine.requests.map((r) => `${isInstruction(r.prompt) ? 'I' : 'R'}${r.seed}`),
        seeds: records.map((r) => r.gen_input_configs.seed).sort((a, b) => (a ?? 0) - (b ?? 0)),
        overlaps,
      };
    };
    const oneLane = await asked({ concurrency: 1 });
    const inOrder = await asked({ concurrency: 2, inSampleOrder: true });
    // The same requests in the same order (the prompt cache and each seed's sample as with
    // one lane), and the same samples stored.
    expect(inOrder.order).toEqual(oneLane.order);
    expect(inOrder.seeds).toEqual(oneLane.seeds);
    expect(oneLane.seeds).toHaveLength(8);
    // The next sample's instruction was asked while a response was still being made (the first
    // sample streams to the live view, so it hands over only when it ends).
    expect(oneLane.overlaps).toEqual([]);
    expect(inOrder.overlaps.length).toBeGreaterThan(4);
    expect(inOrder.overlaps.every((o) => o.startsWith('instruction'))).toBe(true);
  });

  it('retries a passing server error, then fails cleanly on a lasting one keeping every pair', async () => {
    const { db, ds, run } = await setup({ target: 5 });
    let calls = 0;
    const { result } = await go(db, run, (req, call) => {
      calls++;
      if (calls === 2)
        throw new EngineError('server-error', 'The server answered 503.', 'retry', true);
      if (calls > 6)
        throw new EngineError('unauthorized', 'The server refused the API key.', 'Check the key.');
      return wellBehaved(req, call);
    });
    expect(result).toEqual({
      status: 'failed',
      error: {
        code: 'unauthorized',
        message: 'The server refused the API key.',
        hint: 'Check the key.',
      },
    });
    // Writes hold one pair each unless the machine is slow enough for two pairs to finish
    // during one write: then the last write before the disk filled held both.
    const kept = await recentRecords(db, ds.id, 10);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(5);
    expect((await getRun(db, run.id))?.made).toBe(kept.length);
  });

  it('ends the run with a clear message when the disk is full, keeping what was stored', async () => {
    const { db, ds, run } = await setup({ target: 5 });
    let stored = 0;
    db.close(); // middleware applies from the next open
    db.use({
      stack: 'dbcore',
      name: 'full-disk',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          return {
            ...table,
            mutate: (req) => {
              if (name !== 'records') return table.mutate(req);
              // The disk fills up once two pairs are stored.
              if (stored >= 2)
                return Promise.reject(new DOMException('Quota exceeded', 'QuotaExceededError'));
              stored += req.type === 'add' ? req.values.length : 0;
              return table.mutate(req);
            },
          };
        },
      }),
    });
    await db.open();
    // One pair at a time, each written when made, so the first writes hold one pair each.
    const { result } = await go(
      db,
      run,
      async (req, call) => {
        await new Promise((r) => setTimeout(r, 1));
        return wellBehaved(req, call);
      },
      { writeEveryMs: 0 },
    );
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('storage-full');
    expect(result.error?.hint).toContain('Every pair made so far is kept');
    // Writes hold one pair each unless the machine is slow enough for two pairs to finish
    // during one write: then the last write before the disk filled held both.
    const kept = await recentRecords(db, ds.id, 10);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(5);
    expect((await getRun(db, run.id))?.made).toBe(kept.length);
  });

  it('stops with an explanation when the model keeps producing nothing usable', async () => {
    const { db, ds, run } = await setup({ target: 5 });
    const { result, engine } = await go(db, run, () => said(''));
    expect(result.status).toBe('failed');
    expect(result.error?.message).toBe(
      'The last 50 samples were all dropped (most often: instruction empty).',
    );
    expect(engine.requests).toHaveLength(50);
    expect(await recentRecords(db, ds.id, 1)).toHaveLength(0);
    expect((await getRun(db, run.id))?.dropped).toEqual({ empty: 50 });
  });

  it('streams a slow model’s samples to the live view, shows a fast one’s steps whole', async () => {
    /** Whether each request was asked to stream (lane 0's live sample), per request. */
    const streamedFor = async (delayMs: number) => {
      const { db, ds, run } = await setup({ target: 6 });
      const inner = new ScriptedEngine(wellBehaved, { concurrency: 1 });
      const streamed: boolean[] = [];
      const engine: Engine = {
        kind: inner.kind,
        load: () => inner.load(),
        dispose: () => inner.dispose(),
        complete: async (req, options) => {
          streamed.push(!!options?.onDelta);
          await new Promise((r) => setTimeout(r, delayMs));
          return inner.complete(req, options);
        },
      };
      const { events } = await runToEnd(db, run, engine);
      const lives = events.filter(
        (e): e is Extract<RunEvent, { type: 'live' }> => e.type === 'live',
      );
      const stored = await recentRecords(db, ds.id, 10);
      return { streamed, lives, stored };
    };
    // Six pairs in well under the window: only the first sample streams (its speed unknown
    // yet), both its steps; later samples still reach the live view, each step whole.
    const fast = await streamedFor(10);
    expect(fast.streamed).toEqual([true, true, ...Array<boolean>(10).fill(false)]);
    const first = 'Question 0 about sorting lists?';
    const later = fast.lives.filter((e) => e.live.instruction !== first);
    expect(later.length).toBeGreaterThan(0);
    const whole = new Set(fast.stored.map((r) => r.instruction));
    for (const e of later) expect(whole.has(e.live.instruction)).toBe(true);
    // Each step slower than the window: every sample streams.
    const slow = await streamedFor(140);
    expect(slow.streamed.every(Boolean)).toBe(true);
  });

  it('writes a fast model’s pairs a window’s worth at a time, a slow model’s each as made', async () => {
    /** The transactions that stored pairs: each stamps what it adds with one change stamp. */
    const writesFor = async (delayMs: number, target: number) => {
      const { db, ds, run } = await setup({ target });
      const inner = new ScriptedEngine(wellBehaved, { concurrency: 1 });
      const engine: Engine = {
        kind: inner.kind,
        load: () => inner.load(),
        dispose: () => inner.dispose(),
        complete: async (req, options) => {
          await new Promise((r) => setTimeout(r, delayMs));
          return inner.complete(req, options);
        },
      };
      const started = performance.now();
      const { result } = await runToEnd(db, run, engine);
      const windows = Math.ceil((performance.now() - started) / 250);
      expect(result.status).toBe('done');
      const records = await recentRecords(db, ds.id, target + 1);
      expect(records).toHaveLength(target);
      expect((await getRun(db, run.id))?.made).toBe(target);
      const writes = new Set(records.map((r) => (r as { changedAt?: number }).changedAt)).size;
      return { writes, windows };
    };
    // 30 pairs of a few ms each: at most one transaction a window (and the last), not 30.
    const fast = await writesFor(2, 30);
    expect(fast.writes).toBeLessThanOrEqual(fast.windows + 1);
    expect(fast.writes).toBeLessThan(30);
    // Each step slower than the window: every pair is written on its own, when made.
    expect((await writesFor(140, 4)).writes).toBe(4);
  });

  it('a lost GPU fails the run keeping its pairs, with the engine’s offer to go on elsewhere', async () => {
    const { db, ds, run } = await setup({ target: 5 });
    const lost = new EngineError('device-lost', 'The GPU was lost.', 'Continue on the CPU.');
    lost.fallback = {
      action: 'Continue on the CPU (2 threads)',
      changes: { gpuLayers: 0, threads: 2 },
    };
    const { result } = await go(db, run, (req, call) => {
      if (call >= 4) throw lost;
      return wellBehaved(req, call);
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'device-lost', fallback: lost.fallback });
    expect(await recentRecords(db, ds.id, 10)).toHaveLength(2);
  });

  it('reports progress with counts, drops and pace', async () => {
    const { db, run } = await setup({ target: 2 });
    const events: RunEvent[] = [];
    await go(db, run, wellBehaved, { events });
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last).toMatchObject({ type: 'progress', progress: { made: 2, target: 2, etaS: 0 } });
    expect(events.some((e) => e.type === 'live')).toBe(true);
  });
});
