import { describe, expect, it } from 'vitest';
import { instructionPrompt, responsePrompt } from '../template';
import {
  defaultSettingsFor,
  detectFamily,
  strftime,
  TEMPLATE_FAMILIES,
  templateFor,
} from './families';

const DATE = new Date(2025, 0, 5); // local 5 Jan 2025: the day must come out zero-padded

/**
 * Each family's own chat template rendered for one user message "Hi", written out by hand from
 * the model's template (not built from the table's constants), BOS included.
 */
const RENDERED: Record<string, { bos: string; instruction: string; response: string }> = {
  'hermes-3': {
    bos: '<|begin_of_text|>',
    instruction:
      '<|begin_of_text|><|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n',
    response:
      '<|begin_of_text|><|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  },
  'llama-3.2': {
    bos: '<|begin_of_text|>',
    instruction:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 05 Jan 2025\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
    response:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 05 Jan 2025\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
  },
  'llama-3.1': {
    bos: '<|begin_of_text|>',
    instruction:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
    response:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
  },
  'llama-3-plain': {
    bos: '<|begin_of_text|>',
    instruction: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n',
    response:
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
  },
  qwen3: {
    bos: '',
    instruction: '<|im_start|>user\n',
    response: '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
  },
  'qwen2.5': {
    bos: '',
    instruction:
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n',
    response:
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  },
  qwen2: {
    bos: '',
    instruction: '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n',
    response:
      '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  },
  smollm2: {
    bos: '',
    instruction:
      '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\n',
    response:
      '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  },
  chatml: {
    bos: '',
    instruction: '<|im_start|>user\n',
    response: '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  },
  'phi-3': {
    bos: '<s>',
    instruction: '<s><|user|>\n',
    response: '<s><|user|>\nHi<|end|>\n<|assistant|>\n',
  },
  'gemma-2': {
    bos: '<bos>',
    instruction: '<bos><start_of_turn>user\n',
    response: '<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n',
  },
  'gemma-3': {
    bos: '<bos>',
    instruction: '<bos><start_of_turn>user\n',
    response: '<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n',
  },
  'mistral-v0.3': {
    bos: '<s>',
    instruction: '<s>[INST] ',
    response: '<s>[INST] Hi[/INST]',
  },
  'olmo-2': {
    bos: '<|endoftext|>',
    instruction: '<|endoftext|><|user|>\n',
    response: '<|endoftext|><|user|>\nHi\n<|assistant|>\n',
  },
};

describe('template families', () => {
  it('pins every family in the table, and nothing else', () => {
    expect(TEMPLATE_FAMILIES.map((f) => f.id).sort()).toEqual(Object.keys(RENDERED).sort());
    expect(new Set(TEMPLATE_FAMILIES.map((f) => f.id)).size).toBe(TEMPLATE_FAMILIES.length);
  });

  describe.each(Object.entries(RENDERED))('%s', (id, expected) => {
    it('renders the model’s own text when the app writes the BOS', () => {
      const t = templateFor(id, { writeBos: true, date: DATE });
      expect(t.family).toBe(id);
      expect(t.bos).toBe(expected.bos);
      expect(instructionPrompt(t)).toBe(expected.instruction);
      expect(responsePrompt(t, 'Hi')).toBe(expected.response);
    });

    it('leaves the BOS out when a server tokenizer adds its own', () => {
      const t = templateFor(id, { writeBos: false, date: DATE });
      expect(instructionPrompt(t)).toBe(expected.instruction.slice(expected.bos.length));
      expect(responsePrompt(t, 'Hi')).toBe(expected.response.slice(expected.bos.length));
    });

    it('stops instructions at special tokens and "assistant", responses at end-of-turn only', () => {
      const t = templateFor(id, { writeBos: true, date: DATE });
      expect(t.instructionStops).toContain('assistant');
      expect(t.responseStops).not.toContain('assistant');
      expect(t.instructionStops).not.toContain('\n'); // the run settings add the early stop
      expect(t.responseStops.length).toBeGreaterThan(0);
      for (const stop of t.responseStops) expect(t.instructionStops).toContain(stop);
    });
  });

  it('hands out copies, so editing a template cannot change the table', () => {
    const t = templateFor('chatml', { writeBos: true });
    t.instructionStops.push('x');
    expect(templateFor('chatml', { writeBos: true }).instructionStops).not.toContain('x');
  });

  it('uses the family end-of-turn tokens as stops', () => {
    expect(templateFor('llama-3.1', { writeBos: true }).instructionStops).toEqual([
      '<|eot_id|>',
      '<|end_of_text|>',
      '<|start_header_id|>',
      '<|end_header_id|>',
      'assistant',
    ]);
    expect(templateFor('qwen2.5', { writeBos: true }).responseStops).toEqual([
      '<|im_end|>',
      '<|endoftext|>',
    ]);
    expect(templateFor('gemma-2', { writeBos: true }).instructionStops).toEqual([
      '<end_of_turn>',
      '<eos>',
      '<start_of_turn>',
      '<bos>',
      'assistant',
    ]);
  });

  it('puts today’s date in the Llama-3.2 header when no date is given', () => {
    const t = templateFor('llama-3.2', { writeBos: false });
    expect(t.preQuery).toContain(`Today Date: ${strftime(new Date(), '%d %b %Y')}\n`);
  });

  it('refuses an unknown family id', () => {
    expect(() => templateFor('gpt2', { writeBos: true })).toThrow(/Unknown template family: gpt2/);
  });
});

describe('strftime', () => {
  it('formats the way Python does in the C locale', () => {
    expect(strftime(new Date(2024, 6, 26, 9, 5), '%d %b %Y')).toBe('26 Jul 2024');
    expect(strftime(new Date(2024, 6, 26, 9, 5), '%Y-%m-%d %H:%M %B %%')).toBe(
      '2024-07-26 09:05 July %',
    );
  });
});

describe('detectFamily', () => {
  it.each([
    ['Llama-3.2-1B-Instruct-q4f16_1-MLC', 'llama-3.2'],
    ['Llama-3.2-3B-Instruct-q4f32_1-MLC', 'llama-3.2'],
    ['meta-llama/Llama-3.2-1B-Instruct', 'llama-3.2'],
    ['llama3.2:1b', 'llama-3.2'],
    ['Llama-3.1-8B-Instruct-q4f16_1-MLC', 'llama-3.1'],
    ['meta-llama/Llama-3.1-8B-Instruct', 'llama-3.1'],
    ['meta-llama/Meta-Llama-3.1-8B-Instruct', 'llama-3.1'],
    ['meta-llama/Llama-3.3-70B-Instruct', 'llama-3.1'],
    ['llama3.1:8b', 'llama-3.1'],
    ['Llama-3-8B-Instruct-q4f16_1-MLC', 'llama-3-plain'],
    ['meta-llama/Meta-Llama-3-8B-Instruct', 'llama-3-plain'],
    ['llama3:8b', 'llama-3-plain'],
    ['Hermes-3-Llama-3.2-3B-q4f16_1-MLC', 'hermes-3'],
    ['Hermes-3-Llama-3.1-8B-q4f16_1-MLC', 'hermes-3'],
    ['NousResearch/Hermes-3-Llama-3.2-3B', 'hermes-3'],
    ['hermes3:3b', 'hermes-3'],
    ['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'qwen2.5'],
    ['Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', 'qwen2.5'],
    ['Qwen/Qwen2.5-7B-Instruct', 'qwen2.5'],
    ['qwen2.5:0.5b', 'qwen2.5'],
    ['Qwen2-0.5B-Instruct-q4f16_1-MLC', 'qwen2'],
    ['Qwen/Qwen2-7B-Instruct', 'qwen2'],
    ['qwen2:1.5b', 'qwen2'],
    ['Qwen3-0.6B-q4f16_1-MLC', 'qwen3'],
    ['Qwen/Qwen3-4B', 'qwen3'],
    ['qwen3:0.6b', 'qwen3'],
    ['SmolLM2-360M-Instruct-q4f16_1-MLC', 'smollm2'],
    ['HuggingFaceTB/SmolLM2-1.7B-Instruct', 'smollm2'],
    ['smollm2:360m', 'smollm2'],
    ['Phi-3.5-mini-instruct-q4f16_1-MLC', 'phi-3'],
    ['Phi-3-mini-4k-instruct-q4f16_1-MLC', 'phi-3'],
    ['microsoft/Phi-3.5-mini-instruct', 'phi-3'],
    ['phi3.5:3.8b', 'phi-3'],
    ['gemma-2-2b-it-q4f16_1-MLC', 'gemma-2'],
    ['google/gemma-2-9b-it', 'gemma-2'],
    ['gemma2:2b', 'gemma-2'],
    ['gemma3-1b-it-q4f16_1-MLC', 'gemma-3'],
    ['google/gemma-3-1b-it', 'gemma-3'],
    ['gemma3:1b', 'gemma-3'],
    ['Mistral-7B-Instruct-v0.3-q4f16_1-MLC', 'mistral-v0.3'],
    ['mistralai/Mistral-7B-Instruct-v0.3', 'mistral-v0.3'],
    ['OLMo-2-0425-1B-Instruct-q4f16_1-MLC', 'olmo-2'],
    ['allenai/OLMo-2-1124-7B-Instruct', 'olmo-2'],
  ])('%s is %s', (modelId, familyId) => {
    expect(detectFamily(modelId)?.id).toBe(familyId);
  });

  it.each([
    'gpt2',
    'my-finetune',
    '',
    // Other templates, or ones not checked: better no family than a wrong one.
    'Qwen3.5-0.8B-q4f16_1-MLC',
    'Qwen2.5-Math-1.5B-Instruct-q4f16_1-MLC',
    'Qwen2-Math-1.5B-Instruct-q4f16_1-MLC',
    'Qwen/Qwen3-4B-Instruct-2507',
    'Hermes-2-Pro-Llama-3-8B-q4f16_1-MLC',
    'DeepSeek-R1-Distill-Llama-8B-q4f16_1-MLC',
    'DeepSeek-R1-Distill-Qwen-1.5B-q4f16_1-MLC',
    'TinyLlama-1.1B-Chat-v1.0-q4f16_1-MLC',
    'Llama-2-7b-chat-hf-q4f16_1-MLC',
    'gemma-2b-it-q4f16_1-MLC',
    'gemma-4-E2B-it-q4f16_1-MLC',
    'Phi-3.5-vision-instruct-q4f16_1-MLC',
    'Phi-4-mini-instruct-q4f16_1-MLC',
    'Mistral-7B-Instruct-v0.2-q4f16_1-MLC',
    'OLMo-2-1124-7B',
  ])('%j has no family', (modelId) => {
    expect(detectFamily(modelId)).toBeUndefined();
  });

  it('never detects the generic ChatML family', () => {
    expect(detectFamily('chatml')).toBeUndefined();
  });
});

describe('defaultSettingsFor', () => {
  it('gives browser-sized run settings', () => {
    expect(defaultSettingsFor('chatml')).toEqual({
      target: 100,
      instruction: { temperature: 1.0, topP: 1.0, maxTokens: 256, repetitionPenalty: 1.0 },
      response: { temperature: 0.6, topP: 0.9, maxTokens: 1024, repetitionPenalty: 1.0 },
      seed: 0,
      earlyStopNewline: true,
      sanitize: true,
      keepTruncatedResponses: false,
      minInstructionChars: 10,
    });
  });

  it.each([
    ['llama-3.1', 0.9, 1.0],
    ['llama-3.2', 0.9, 1.0],
    ['llama-3-plain', 1.0, 1.0],
    ['qwen2.5', 0.7, 1.0],
    ['gemma-2', 1.0, 1.0],
  ])('samples %s instructions at temperature %d, top_p %d', (id, temperature, topP) => {
    expect(defaultSettingsFor(id).instruction).toMatchObject({ temperature, topP });
  });

  it('follows Qwen3’s non-thinking advice for answers', () => {
    expect(defaultSettingsFor('qwen3').response).toMatchObject({ temperature: 0.7, topP: 0.8 });
  });

  it('falls back to the general defaults for an edited template', () => {
    expect(defaultSettingsFor('custom')).toEqual(defaultSettingsFor('chatml'));
  });

  it('returns a fresh object each time', () => {
    const a = defaultSettingsFor('qwen2.5');
    a.instruction.temperature = 2;
    expect(defaultSettingsFor('qwen2.5').instruction.temperature).toBe(0.7);
  });
});

describe('first-token rule defaults', () => {
  it('bans headings as the first token for Llama-3.1, as the authors did, and nowhere else', () => {
    expect(defaultSettingsFor('llama-3.1').firstToken).toBe('ban-headings');
    expect(defaultSettingsFor('qwen2.5').firstToken).toBeUndefined();
  });
});
