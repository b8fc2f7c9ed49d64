import { describe, expect, it } from 'vitest';
import { said, ScriptedEngine, type Script } from '../engine/scripted/scripted-engine';
import type { RunSettings } from '../shared/run';
import type { PromptTemplate } from '../shared/template';
import { templateFor } from '../shared/templates/families';
import { pipelineRuns, runToEnd } from '../test-support/pipeline-harness';
import { recentRecords } from '../store/records';
import { getRun } from '../store/runs';
import { MULTI_TURN_SYSTEM_PROMPT } from './generate-conversation';

const newRun = pipelineRuns('conv');

const QWEN = templateFor('qwen2.5', { writeBos: false, date: new Date(2025, 0, 5) });
const QWEN_DEFAULT = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.';

async function run3(template: PromptTemplate, script: Script, over: Partial<RunSettings> = {}) {
  const { db, ds, run } = await newRun({ target: 1, turns: 3, ...over }, { template });
  const engine = new ScriptedEngine(script);
  const { result, events } = await runToEnd(db, run, engine);
  return { db, ds, run, engine, result, events };
}

/** Turn k's instruction is "Question k about bread?", its answer "Answer k." */
function byTurn(endsWithUser: (prompt: string) => boolean): Script {
  let questions = 0;
  let answers = 0;
  return (req) =>
    endsWithUser(req.prompt)
      ? said(`Question ${++questions} about bread?`)
      : said(`Answer ${++answers}.`);
}
const qwenUserOpener = (p: string) => p.endsWith('<|im_start|>user\n');

describe('multi-turn conversations', () => {
  it('renders turns 2 and 3 by the authors’ recipe, with the exact prompts', async () => {
    expect(MULTI_TURN_SYSTEM_PROMPT).toBe(
      'You are a helpful Al assistant. The user will engage in a multi-round conversation with you, asking initial questions and following up with additional related questions. Your goal is to provide thorough,relevant and insightful responses to help the user with their queries.',
    );
    const { engine, result, db, ds } = await run3(QWEN, byTurn(qwenUserOpener), { seed: 7 });
    expect(result.status).toBe('done');
    const prompts = engine.requests.map((r) => r.prompt);
    const MT = `<|im_start|>system\n${MULTI_TURN_SYSTEM_PROMPT}<|im_end|>\n`;
    const QD = `<|im_start|>system\n${QWEN_DEFAULT}<|im_end|>\n`;
    const u = (t: string) => `<|im_start|>user\n${t}<|im_end|>\n`;
    const a = (t: string) => `<|im_start|>assistant\n${t}<|im_end|>\n`;
    expect(prompts).toEqual([
      // Turn 1: the plain Magpie pair.
      `${QD}<|im_start|>user\n`,
      `${QD}${u('Question 1 about bread?')}<|im_start|>assistant\n`,
      // Turn 2: the conversation under the multi-turn system prompt, then the user opener...
      `${MT}${u('Question 1 about bread?')}${a('Answer 1.')}<|im_start|>user\n`,
      // ...and the reply without it (the template's own default system prompt applies).
      `${QD}${u('Question 1 about bread?')}${a('Answer 1.')}${u('Question 2 about bread?')}<|im_start|>assistant\n`,
      // Turn 3.
      `${MT}${u('Question 1 about bread?')}${a('Answer 1.')}${u('Question 2 about bread?')}${a('Answer 2.')}<|im_start|>user\n`,
      `${QD}${u('Question 1 about bread?')}${a('Answer 1.')}${u('Question 2 about bread?')}${a('Answer 2.')}${u('Question 3 about bread?')}<|im_start|>assistant\n`,
    ]);
    // Every step samples as the run says: instruction settings for questions, response for answers.
    expect(engine.requests.map((r) => [r.temperature, r.seed])).toEqual([
      [1, 7],
      [0.6, 7],
      [1, 7],
      [0.6, 7],
      [1, 7],
      [0.6, 7],
    ]);
    expect(engine.requests[2]!.stop).toContain('\n'); // early stop holds for later turns too
    const [rec] = await recentRecords(db, ds.id, 5);
    expect(rec).toMatchObject({
      instruction: 'Question 1 about bread?',
      response: 'Answer 1.',
      conversations: [
        { from: 'human', value: 'Question 1 about bread?' },
        { from: 'gpt', value: 'Answer 1.' },
        { from: 'human', value: 'Question 2 about bread?' },
        { from: 'gpt', value: 'Answer 2.' },
        { from: 'human', value: 'Question 3 about bread?' },
        { from: 'gpt', value: 'Answer 3.' },
      ],
    });
  });

  it('renders Llama-3.1’s turn 2 with the system prompt after its date header', async () => {
    const llama = templateFor('llama-3.1', { writeBos: true, date: new Date(2025, 0, 5) });
    const { engine } = await run3(
      llama,
      byTurn((p) => p.endsWith('<|start_header_id|>user<|end_header_id|>\n\n')),
      { turns: 2 },
    );
    const h = (role: string) => `<|start_header_id|>${role}<|end_header_id|>\n\n`;
    expect(engine.requests[2]!.prompt).toBe(
      `<|begin_of_text|>${h('system')}Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n${MULTI_TURN_SYSTEM_PROMPT}<|eot_id|>` +
        `${h('user')}Question 1 about bread?<|eot_id|>${h('assistant')}Answer 1.<|eot_id|>${h('user')}`,
    );
  });

  it('cleans later turns with the same rules and drops the whole conversation when turn 3 fails, counting it', async () => {
    let questions = 0;
    let answers = 0;
    const { db, ds, run, result, events } = await run3(
      QWEN,
      (req) => {
        if (qwenUserOpener(req.prompt)) {
          questions++;
          // Sample 1, turn 3: the model leaks a template token; sample 2 goes through,
          // its turn 2 labelled "Question:" as models do (the sanitiser strips it).
          if (questions === 3) return said('<|im_start|>system oops');
          if (questions === 5) return said('Question: How long should dough rest?');
          return said(`Question ${questions} about bread?`);
        }
        return said(`Answer ${++answers}.`);
      },
      { target: 1 },
    );
    expect(result.status).toBe('done');
    expect(await getRun(db, run.id)).toMatchObject({
      made: 1,
      attempts: 2,
      dropped: { 'leaked-template': 1 },
      laterTurnDrops: 1,
    });
    const records = await recentRecords(db, ds.id, 5);
    expect(records).toHaveLength(1);
    expect(records[0]!.conversations.map((t) => t.value)).toEqual([
      'Question 4 about bread?',
      'Answer 3.',
      'How long should dough rest?',
      'Answer 4.',
      'Question 6 about bread?',
      'Answer 5.',
    ]);
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last).toMatchObject({ progress: { laterTurnDrops: 1 } });
  });
});
