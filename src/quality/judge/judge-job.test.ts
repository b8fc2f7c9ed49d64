import { afterEach, describe, expect, it } from 'vitest';
import {
  EngineError,
  type ChatRequest,
  type CompletionResult,
  type Engine,
  type ModelDescription,
} from '../../shared/engine';
import type { JudgeEvent, JudgeSettings } from '../../shared/quality';
import type { GeneratedRecord } from '../../shared/record';
import { MagpieDB } from '../../store/db';
import { pair } from '../../test-support/fixtures';
import { runJudge } from './judge-job';
import { allRecords } from '../../test-support/stored';
import { getRecord } from '../../store/derived';

const dbs: MagpieDB[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

type Answer = (req: ChatRequest, call: number) => string | Promise<string>;

/** A judge standing in for a model at the Engine seam: answers chat requests from a script. */
class ChatEngine implements Engine {
  readonly kind = 'server' as const;
  readonly requests: ChatRequest[] = [];
  constructor(private readonly answer: Answer) {}
  async load(): Promise<ModelDescription> {
    return { id: 'judge-model', engine: 'server', concurrency: 2, streams: false };
  }
  async complete(): Promise<CompletionResult> {
    throw new Error('the judge must use chat');
  }
  async chat(req: ChatRequest, opts: { signal?: AbortSignal } = {}): Promise<CompletionResult> {
    const call = this.requests.push(req) - 1;
    const text = await this.answer(req, call);
    if (opts.signal?.aborted) throw new EngineError('aborted', 'Stopped.', '');
    return { text, finishReason: 'stop', usage: { latencyMs: 1 } };
  }
  async dispose() {}
}

const promptOf = (req: ChatRequest) => req.messages[0]?.content ?? '';
const taskOf = (req: ChatRequest) => {
  const p = promptOf(req);
  if (p.includes('primary_tag')) return 'category';
  if (p.includes('"input_quality"')) return 'quality';
  if (p.includes('"intent"')) return 'difficulty';
  return 'score';
};
/** Well-formed answers in the authors' shapes. */
const good: Answer = (req) =>
  ({
    category: '```json\n{"primary_tag": "Math", "other_tags": ["Reasoning"]}\n```',
    quality: '{"explanation": "Clear and specific.", "input_quality": "good"}',
    difficulty:
      '{"intent": "The user wants to add numbers.", "knowledge": "To solve this problem, the models need to know addition.", "difficulty": "easy"}',
    score: 'Here you go: {"reason": "Correct and concise.", "score": 8}',
  })[taskOf(req)];

async function setup(n: number, over: (i: number) => Partial<GeneratedRecord> = () => ({})) {
  const db = new MagpieDB(`judge-${crypto.randomUUID()}`);
  dbs.push(db);
  const records = Array.from({ length: n }, (_, i) => pair('ds', 'run', over(i)));
  await db.records.bulkAdd(records);
  return { db, records };
}

const ALL: JudgeSettings['tasks'] = [
  'task_category',
  'input_quality',
  'difficulty',
  'response_score',
];

async function judge(
  db: MagpieDB,
  engine: Engine,
  opts: {
    tasks?: JudgeSettings['tasks'];
    retryFailures?: boolean;
    signal?: AbortSignal;
    progressEveryMs?: number;
  } = {},
) {
  const events: JudgeEvent[] = [];
  const ended = await runJudge({
    db,
    engine,
    model: await engine.load(),
    settings: {
      datasetId: 'ds',
      tasks: opts.tasks ?? ALL,
      retryFailures: opts.retryFailures ?? false,
    },
    signal: opts.signal ?? new AbortController().signal,
    onEvent: (e) => events.push(e),
    retryBaseMs: 1,
    progressEveryMs: opts.progressEveryMs,
  });
  return { ended, events };
}

describe('the judge job', () => {
  it('tags every record with all four tasks at temperature 0 and records the model', async () => {
    const { db } = await setup(3);
    const engine = new ChatEngine(good);
    const { ended } = await judge(db, engine);
    expect(ended).toMatchObject({ status: 'done', progress: { total: 3, done: 3, failed: 0 } });
    expect(engine.requests).toHaveLength(12);
    for (const req of engine.requests) {
      expect(req.temperature).toBe(0);
      expect(req.jsonSchema).toMatchObject({ type: 'object' });
    }
    for (const r of await allRecords(db)) {
      expect(r).toMatchObject({
        task_category: 'Math',
        other_task_category: ['Reasoning'],
        task_category_generator: 'judge-model',
        input_quality: 'good',
        quality_explanation: 'Clear and specific.',
        quality_generator: 'judge-model',
        difficulty: 'easy',
        intent: 'The user wants to add numbers.',
        difficulty_generator: 'judge-model',
        response_score: 8,
        response_score_reason: 'Correct and concise.',
        response_score_generator: 'judge-model',
      });
      expect(r.tag_failure).toBeUndefined();
    }
  });

  it('asks again once, with the reason, when an answer does not parse', async () => {
    const { db } = await setup(1);
    const engine = new ChatEngine((req, call) =>
      call === 0 ? '{"explanation": "Clear", "input_qual' : good(req, call),
    );
    const { ended } = await judge(db, engine, { tasks: ['input_quality'] });
    expect(ended.progress).toMatchObject({ retried: 1, failed: 0 });
    expect(engine.requests).toHaveLength(2);
    const retry = engine.requests[1]!.messages;
    expect(retry[1]).toEqual({
      role: 'assistant',
      content: '{"explanation": "Clear", "input_qual',
    });
    expect(retry[2]?.content).toMatch(/cut off/);
    expect((await allRecords(db))[0]?.input_quality).toBe('good');
  });

  it('stores a label outside the set as a tag failure with the raw answer, and moves on', async () => {
    const { db } = await setup(2, (i) => ({ instruction: i === 0 ? 'Bake bread?' : 'Add 2+2?' }));
    const wrong = '{"primary_tag": "Cooking", "other_tags": []}';
    const engine = new ChatEngine((req, call) =>
      promptOf(req).includes('Bake bread') && taskOf(req) === 'category' ? wrong : good(req, call),
    );
    const { ended } = await judge(db, engine);
    expect(ended).toMatchObject({ status: 'done', progress: { done: 2, failed: 1 } });
    const [bread, sum] = (await allRecords(db)).sort((a, b) => a.createdAt - b.createdAt);
    expect(bread?.task_category).toBeUndefined();
    expect(bread?.tag_failure).toMatchObject({
      task: 'task_category',
      raw: wrong,
      error: expect.stringContaining('"Cooking"'),
      generator: 'judge-model',
    });
    // The other tasks of the same record were still tagged.
    expect(bread?.input_quality).toBe('good');
    expect(sum?.task_category).toBe('Math');

    // A later job skips the failure unless asked to retry it; a retry that works clears it.
    const again = await judge(db, new ChatEngine(good));
    expect(again.ended.progress.total).toBe(0);
    await judge(db, new ChatEngine(good), { retryFailures: true });
    const fixed = await getRecord(db, bread!.uuid);
    expect(fixed?.task_category).toBe('Math');
    expect(fixed?.tag_failure).toBeUndefined();
  });

  it('keeps every failure of a record when two tasks fail', async () => {
    const { db } = await setup(1);
    const engine = new ChatEngine((req, call) =>
      taskOf(req) === 'difficulty' || taskOf(req) === 'score'
        ? 'I cannot rate this.'
        : good(req, call),
    );
    await judge(db, engine);
    const [r] = await allRecords(db);
    expect(r?.tag_failure).toMatchObject({
      task: 'difficulty, response_score',
      raw: '=== difficulty ===\nI cannot rate this.\n=== response_score ===\nI cannot rate this.',
    });
  });

  it('stops when asked, keeps what was tagged, and the next job resumes with the rest', async () => {
    const { db } = await setup(6);
    const stopper = new AbortController();
    let calls = 0;
    const engine = new ChatEngine((req, call) => {
      if (++calls === 3) stopper.abort(); // while the third record is judged
      return good(req, call);
    });
    const first = await judge(db, engine, { tasks: ['input_quality'], signal: stopper.signal });
    expect(first.ended.status).toBe('stopped');
    const tagged = (await allRecords(db)).filter((r) => r.input_quality).length;
    expect(tagged).toBeGreaterThan(0);
    expect(tagged).toBeLessThan(6);

    const second = await judge(db, new ChatEngine(good), { tasks: ['input_quality'] });
    expect(second.ended).toMatchObject({ status: 'done', progress: { total: 6 - tagged } });
    expect((await allRecords(db)).every((r) => r.input_quality === 'good')).toBe(true);
  });

  it('retries a busy server, and stops with the error (keeping what was done) when it stays down', async () => {
    const { db } = await setup(3);
    let calls = 0;
    const flaky = new ChatEngine((req, call) => {
      if (++calls === 2) throw new EngineError('server-error', 'HTTP 503', 'wait', true);
      return good(req, call);
    });
    expect((await judge(db, flaky, { tasks: ['difficulty'] })).ended.status).toBe('done');

    const { db: db2 } = await setup(3);
    let n = 0;
    const down = new ChatEngine((req, call) => {
      if (++n > 1) throw new EngineError('unauthorized', 'The server rejected the API key', 'key');
      return good(req, call);
    });
    const { ended } = await judge(db2, down, { tasks: ['difficulty'] });
    expect(ended).toMatchObject({
      status: 'failed',
      error: { code: 'unauthorized', message: 'The server rejected the API key' },
    });
    expect((await allRecords(db2)).filter((r) => r.difficulty).length).toBe(1);
  });

  it('stores a record whose request fails with a 5xx on every try as a tag failure, and asking again covers it', async () => {
    const { db } = await setup(3, (i) => ({
      instruction: i === 1 ? 'Crash the server?' : 'Add 2+2?',
    }));
    let calls = 0;
    const crashing = new ChatEngine((req, call) => {
      if (promptOf(req).includes('Crash the server')) {
        calls++;
        throw new EngineError('server-error', 'The server failed (HTTP 500).', 'wait', true);
      }
      return good(req, call);
    });
    const { ended } = await judge(db, crashing, { tasks: ['difficulty'] });
    expect(ended).toMatchObject({ status: 'done', progress: { total: 3, done: 3, failed: 1 } });
    expect(calls).toBe(3); // the job's retries, then the failure is stored
    const records = await allRecords(db);
    const crashed = records.find((r) => r.instruction.includes('Crash'));
    expect(crashed?.difficulty).toBeUndefined();
    expect(crashed?.tag_failure).toMatchObject({
      task: 'difficulty',
      raw: '',
      error: expect.stringContaining('HTTP 500'),
    });
    expect(records.filter((r) => r.difficulty === 'easy')).toHaveLength(2);

    const again = await judge(db, new ChatEngine(good), {
      tasks: ['difficulty'],
      retryFailures: true,
    });
    expect(again.ended.progress).toMatchObject({ total: 1, done: 1, failed: 0 });
    const fixed = await getRecord(db, crashed!.uuid);
    expect(fixed).toMatchObject({ difficulty: 'easy' });
    expect(fixed?.tag_failure).toBeUndefined();
  });

  it('stops with the error when the server fails every request of several records in a row', async () => {
    const { db } = await setup(8);
    const down = new ChatEngine(() => {
      throw new EngineError('server-error', 'The server failed (HTTP 503).', 'wait', true);
    });
    const { ended } = await judge(db, down, { tasks: ['difficulty'] });
    expect(ended).toMatchObject({ status: 'failed', error: { code: 'server-error' } });
  });

  it('sends the last progress of a burst at the end of the throttle window, not only at the end', async () => {
    const { db } = await setup(4, (i) => ({ instruction: i === 3 ? 'Slow one?' : `Fast ${i}?` }));
    let release = () => {};
    const slow = new Promise<void>((resolve) => (release = resolve));
    const engine = new ChatEngine(async (req, call) => {
      if (promptOf(req).includes('Slow one')) await slow;
      return good(req, call);
    });
    const events: JudgeEvent[] = [];
    const job = runJudge({
      db,
      engine,
      model: await engine.load(),
      settings: { datasetId: 'ds', tasks: ['difficulty'], retryFailures: false },
      signal: new AbortController().signal,
      onEvent: (e) => events.push(e),
      progressEveryMs: 100,
    });
    // While the slow record waits, the view must come to show the 3 records already done.
    await expect
      .poll(() => events.some((e) => e.type === 'progress' && e.progress.done === 3), {
        timeout: 2000,
      })
      .toBe(true);
    release();
    expect((await job).progress).toMatchObject({ total: 4, done: 4 });
  });

  it('picks up records stored while it runs', async () => {
    const { db } = await setup(2);
    let added = false;
    const engine = new ChatEngine(async (req, call) => {
      if (!added) {
        added = true;
        await db.records.add(pair('ds', 'run', { createdAt: Date.now() + 10_000 }));
      }
      return good(req, call);
    });
    const { ended } = await judge(db, engine, { tasks: ['task_category'] });
    expect(ended.progress).toMatchObject({ total: 3, done: 3 });
  });

  it('says plainly when the engine cannot judge', async () => {
    const { db } = await setup(1);
    const engine = new ChatEngine(good) as Engine;
    (engine as { chat?: unknown }).chat = undefined;
    const { ended } = await judge(db, engine);
    expect(ended).toMatchObject({
      status: 'failed',
      error: { message: expect.stringMatching(/cannot act as a judge/) },
    });
  });
});
