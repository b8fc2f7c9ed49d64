import { describe, expect, it } from 'vitest';
import {
  said,
  ScriptedEngine,
  type ChatScript,
  type Script,
} from '../engine/scripted/scripted-engine';
import type { InstructionGate } from '../shared/near-duplicates';
import type { RunEvent, RunRecord } from '../shared/run';
import { instructionPrompt } from '../shared/template';
import { CHATML } from '../test-support/fixtures';
import { pipelineRuns, runToEnd } from '../test-support/pipeline-harness';
import type { MagpieDB } from '../store/db';
import { recentRecords } from '../store/records';
import { getRun } from '../store/runs';

const setup = pipelineRuns('pref');

const isInstruction = (prompt: string) => prompt === instructionPrompt(CHATML);

/** The judge scores the answer by the number it carries: "Answer with seed 7." scores 7 % 10. */
const judgeBySeed: ChatScript = (req) => {
  const seed = /Answer with seed (\d+)\./.exec(req.messages[0]!.content)?.[1];
  return said(JSON.stringify({ reason: `Seed ${seed}.`, score: Number(seed) % 10 }));
};

async function go(
  db: MagpieDB,
  run: RunRecord,
  script: Script,
  judge: ChatScript | undefined,
  opts: { gate?: InstructionGate; events?: RunEvent[] } = {},
) {
  const engine = new ScriptedEngine(script, {}, judge);
  const { result, events } = await runToEnd(db, run, engine, { gate: opts.gate });
  opts.events?.push(...events);
  return { result, engine };
}

describe('preference runs', () => {
  it('samples k responses with distinct seeds at 0.8 / 1.0, judges each at temperature 0, keeps best and worst', async () => {
    const { db, ds, run } = await setup({ target: 1, seed: 100, mode: 'preference' });
    const { result, engine } = await go(
      db,
      run,
      (req) =>
        isInstruction(req.prompt)
          ? said('How do I sort a list in Python?')
          : said(`Answer with seed ${req.seed}.`),
      judgeBySeed,
    );
    expect(result.status).toBe('done');
    const answers = engine.requests.filter((r) => !isInstruction(r.prompt));
    expect(answers.map((r) => [r.seed, r.temperature, r.topP])).toEqual([
      [100, 0.8, 1],
      [101, 0.8, 1],
      [102, 0.8, 1],
      [103, 0.8, 1],
      [104, 0.8, 1],
    ]);
    for (const a of answers) {
      expect(a.prompt).toBe(
        '<|im_start|>user\nHow do I sort a list in Python?<|im_end|>\n<|im_start|>assistant\n',
      );
    }
    expect(engine.chatRequests).toHaveLength(5);
    expect(engine.chatRequests[0]).toMatchObject({ temperature: 0, maxTokens: 256 });
    expect(engine.chatRequests[0]!.messages[0]!.content).toContain(
      '## Assistant Response\n```\nAnswer with seed 100.\n```',
    );
    const [rec] = await recentRecords(db, ds.id, 5);
    expect(rec!.preference!.responses.map((r) => [r.text, r.score, r.seed])).toEqual([
      ['Answer with seed 100.', 0, 100],
      ['Answer with seed 101.', 1, 101],
      ['Answer with seed 102.', 2, 102],
      ['Answer with seed 103.', 3, 103],
      ['Answer with seed 104.', 4, 104],
    ]);
    expect(rec).toMatchObject({
      instruction: 'How do I sort a list in Python?',
      response: 'Answer with seed 104.',
      response_score: 4,
      response_score_reason: 'Seed 104.',
      response_score_generator: 'scripted-model',
      preference: { chosen: 4, rejected: 0, generator: 'scripted-model' },
      gen_response_configs: { temperature: 0.8, top_p: 1, seed: 104 },
      conversations: [
        { from: 'human', value: 'How do I sort a list in Python?' },
        { from: 'gpt', value: 'Answer with seed 104.' },
      ],
    });
  });

  it('does not store ties or samples with fewer than two scored responses, and counts them', async () => {
    const { db, ds, run } = await setup({
      target: 1,
      mode: 'preference',
      preference: { responses: 3, temperature: 0.8, topP: 1 },
    });
    let sample = -1;
    const judge: ChatScript = (req) => {
      const text = req.messages[0]!.content;
      // Sample 0: all three score 6 (a tie). Sample 1: the judge rambles twice for two of
      // three answers (one scored). Sample 2: 9 and 3 and one empty answer.
      if (text.includes('sample 0')) return said('{"reason": "Fine.", "score": 6}');
      if (text.includes('sample 1')) {
        return text.includes('seed 0.') && req.messages.length === 1
          ? said('{"reason": "Fine.", "score": 6}')
          : said('I think it is good.');
      }
      return said(`{"reason": "By seed.", "score": ${text.includes('seed 1.') ? 9 : 3}}`);
    };
    const { result, engine } = await go(
      db,
      run,
      (req) => {
        if (isInstruction(req.prompt)) {
          sample++;
          return said(`Explain topic number ${sample} in detail?`);
        }
        if (sample === 2 && req.seed === 4) return said('  ');
        return said(`Reply for sample ${sample} with seed ${req.seed! - sample}.`);
      },
      judge,
    );
    expect(result.status).toBe('done');
    const stored = await getRun(db, run.id);
    expect(stored).toMatchObject({
      made: 1,
      attempts: 3,
      dropped: { 'preference-tie': 1, 'preference-unscored': 1 },
    });
    // The judge was asked again once for each unusable answer (two in sample 1).
    expect(engine.chatRequests.filter((r) => r.messages.length === 3)).toHaveLength(2);
    const [rec] = await recentRecords(db, ds.id, 5);
    expect(rec!.preference!.responses.map((r) => [r.score, r.unscored])).toEqual([
      [3, undefined],
      [9, undefined],
      [undefined, 'response-empty'],
    ]);
    expect(rec!.preference).toMatchObject({ chosen: 1, rejected: 0 });
  });

  it('counts every completion token (both steps and the judge) per kept record', async () => {
    const { db, run } = await setup({
      target: 1,
      mode: 'preference',
      preference: { responses: 2, temperature: 0.8, topP: 1 },
    });
    const events: RunEvent[] = [];
    await go(
      db,
      run,
      (req) =>
        isInstruction(req.prompt)
          ? said('one two three four five?') // 5 tokens
          : said(`Answer with seed ${req.seed}.`), // 4 tokens each
      judgeBySeed, // {"reason": ..., "score": n} counted as words: 5 each
      { events },
    );
    const judged = said(JSON.stringify({ reason: 'Seed 0.', score: 0 })).usage.completionTokens!;
    expect((await getRun(db, run.id))?.tokens).toBe(5 + 2 * 4 + 2 * judged);
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last).toMatchObject({ progress: { tokensPerKept: 5 + 8 + 2 * judged } });
  });
});

/**
 * The gate's contract, with exact matching: the real one (MinHash-LSH, quality/dedup) is
 * tested against near-duplicates in instruction-gate.test.ts and composed with the pipeline
 * by the worker's entry; the pipeline may not import it.
 */
class ExactGate implements InstructionGate {
  readonly asked: string[] = [];
  constructor(private readonly known = new Set<string>()) {}
  admit(instruction: string): boolean {
    this.asked.push(instruction);
    if (this.known.has(instruction)) return false;
    this.known.add(instruction);
    return true;
  }
}

describe('near-duplicate check before answering', () => {
  it('drops an instruction the gate refuses before paying for its response, and counts it', async () => {
    const { db, ds, run } = await setup({ target: 3 });
    const gate = new ExactGate(new Set(['How do I sort a list of numbers in Python?']));
    const instructions = [
      'How do I sort a list of numbers in Python?', // the dataset has it
      'Write a haiku about autumn leaves falling?',
      'Write a haiku about autumn leaves falling?', // this run just made it
      'Explain how a hash map works internally?',
      'Explain how a hash map works internally?',
      'Plan a three day trip to Lisbon with kids?',
    ];
    let i = 0;
    const events: RunEvent[] = [];
    const { engine } = await go(
      db,
      run,
      (req) => (isInstruction(req.prompt) ? said(instructions[i++]!) : said('An answer.')),
      undefined,
      { gate, events },
    );
    expect(gate.asked).toEqual(instructions);
    expect((await getRun(db, run.id))!).toMatchObject({
      made: 3,
      attempts: 6,
      dropped: { 'near-duplicate': 3 },
    });
    // Only the three new instructions were answered.
    const answered = engine.requests.filter((r) => !isInstruction(r.prompt));
    expect(answered.map((r) => r.prompt.split('\n')[1])).toEqual([
      'Write a haiku about autumn leaves falling?<|im_end|>',
      'Explain how a hash map works internally?<|im_end|>',
      'Plan a three day trip to Lisbon with kids?<|im_end|>',
    ]);
    expect(await recentRecords(db, ds.id, 10)).toHaveLength(3);
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last).toMatchObject({ progress: { dropped: { 'near-duplicate': 3 } } });
  });

  it('is not asked at all when the run has the check off', async () => {
    const off = await setup({ target: 2, nearDuplicateCheck: false });
    const gate = new ExactGate();
    const { engine } = await go(
      off.db,
      off.run,
      (req) => (isInstruction(req.prompt) ? said('The same question each time?') : said('A.')),
      undefined,
      { gate },
    );
    expect(gate.asked).toEqual([]);
    expect(engine.requests.filter((r) => !isInstruction(r.prompt))).toHaveLength(2);
    expect(await recentRecords(off.db, off.ds.id, 10)).toHaveLength(2);
  });
});
