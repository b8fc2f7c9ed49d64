import { describe, expect, it } from 'vitest';
import { TEMPLATE_FAMILIES, templateFor } from '../shared/templates/families';
import { instructionPrompt } from '../shared/template';
import { pair } from '../test-support/fixtures';
import { conversationOf, isMultiTurn, systemPromptOf } from './conversation';

describe('systemPromptOf', () => {
  // What each family's own template prints as a system turn when no system message is given.
  const expected: Record<string, string | undefined> = {
    'hermes-3': 'You are a helpful assistant.',
    'qwen2.5': 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.',
    qwen2: 'You are a helpful assistant.',
    smollm2: 'You are a helpful AI assistant named SmolLM, trained by Hugging Face',
  };

  it.each(TEMPLATE_FAMILIES.map((f) => f.id))('finds the default system prompt of %s', (id) => {
    const template = templateFor(id, { writeBos: true, date: new Date(2025, 0, 2) });
    expect(systemPromptOf(instructionPrompt(template))).toBe(expected[id]);
  });

  it('finds a system prompt typed into a template, and drops Llama’s date block', () => {
    expect(
      systemPromptOf(
        '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou solve math problems.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
      ),
    ).toBe('You solve math problems.');
    expect(systemPromptOf('<|system|>\nBe brief.<|end|>\n<|user|>\n')).toBe('Be brief.');
    expect(systemPromptOf('<|system|>\nBe brief.\n<|user|>\n')).toBe('Be brief.');
    expect(systemPromptOf(undefined)).toBeUndefined();
  });
});

describe('conversationOf', () => {
  const record = pair('ds', 'run', {
    instruction: 'Original question?',
    response: 'Original answer.',
    conversations: [
      { from: 'human', value: 'Original question?' },
      { from: 'gpt', value: 'Original answer.' },
    ],
    edited: { response: 'Edited answer.', at: 1 },
    gen_input_configs: {
      ...pair('ds', 'run').gen_input_configs,
      pre_query_template: '<|im_start|>system\nStay on topic.<|im_end|>\n<|im_start|>user\n',
    },
  });

  it('uses the edit or the original, and the system prompt only when asked', () => {
    expect(conversationOf(record, { text: 'edited', systemPrompt: false })).toEqual([
      { from: 'human', value: 'Original question?' },
      { from: 'gpt', value: 'Edited answer.' },
    ]);
    expect(conversationOf(record, { text: 'original', systemPrompt: true })).toEqual([
      { from: 'system', value: 'Stay on topic.' },
      { from: 'human', value: 'Original question?' },
      { from: 'gpt', value: 'Original answer.' },
    ]);
  });

  it('counts user turns to tell multi-turn conversations', () => {
    expect(isMultiTurn(record)).toBe(false);
    expect(
      isMultiTurn({
        conversations: [
          { from: 'human', value: 'a' },
          { from: 'gpt', value: 'b' },
          { from: 'human', value: 'c' },
          { from: 'gpt', value: 'd' },
        ],
      }),
    ).toBe(true);
  });
});
