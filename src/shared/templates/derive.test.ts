import { describe, expect, it } from 'vitest';
import { deriveTemplate, parseTokenizerConfig } from './derive';
import {
  CHATML,
  GEMMA_2,
  GEMMA_3,
  HERMES_3,
  LLAMA_3_1,
  LLAMA_3_2,
  OLMO_2,
  PHI_3_5,
  QWEN2,
  QWEN_2_5,
  QWEN_3,
  SMOLLM2,
} from './chat-sources';
import { templateFor } from './families';

// The chat templates are the ones the app ships (chat-sources.ts, where their origin is noted).

/** A tokenizer_config.json as the hub serves it, round-tripped through JSON. */
function tokenizerConfig(fields: Record<string, unknown>): string {
  return JSON.stringify({ add_bos_token: false, ...fields }, null, 2);
}

const DATE = new Date(2025, 0, 5);

function derivedFrom(json: string, writeBos = true) {
  const source = parseTokenizerConfig(json);
  return deriveTemplate(source.chatTemplate, { ...source, writeBos, date: DATE });
}

/** The prompt-building parts of a template (stops are compared separately). */
const text = (t: { bos: string; preQuery: string; postQuery: string }) => ({
  bos: t.bos,
  preQuery: t.preQuery,
  postQuery: t.postQuery,
});

describe('deriveTemplate on real chat templates', () => {
  it.each([
    [
      'generic ChatML',
      'chatml',
      { chat_template: CHATML, bos_token: null, eos_token: '<|im_end|>' },
    ],
    ['Qwen2', 'qwen2', { chat_template: QWEN2, bos_token: null, eos_token: '<|im_end|>' }],
    ['Qwen2.5', 'qwen2.5', { chat_template: QWEN_2_5, bos_token: null, eos_token: '<|im_end|>' }],
    ['Qwen3', 'qwen3', { chat_template: QWEN_3, bos_token: null, eos_token: '<|im_end|>' }],
    [
      'SmolLM2',
      'smollm2',
      { chat_template: SMOLLM2, bos_token: '<|im_start|>', eos_token: '<|im_end|>' },
    ],
    [
      'Llama-3.1',
      'llama-3.1',
      { chat_template: LLAMA_3_1, bos_token: '<|begin_of_text|>', eos_token: '<|eot_id|>' },
    ],
    [
      'Llama-3.2',
      'llama-3.2',
      { chat_template: LLAMA_3_2, bos_token: '<|begin_of_text|>', eos_token: '<|eot_id|>' },
    ],
    ['Gemma-2', 'gemma-2', { chat_template: GEMMA_2, bos_token: '<bos>', eos_token: '<eos>' }],
    ['Gemma-3', 'gemma-3', { chat_template: GEMMA_3, bos_token: '<bos>', eos_token: '<eos>' }],
    [
      'OLMo-2',
      'olmo-2',
      { chat_template: OLMO_2, bos_token: '<|endoftext|>', eos_token: '<|endoftext|>' },
    ],
    [
      'Hermes-3 (named templates)',
      'hermes-3',
      {
        chat_template: [
          { name: 'default', template: HERMES_3 },
          { name: 'tool_use', template: "{{ raise_exception('not this one') }}" },
        ],
        bos_token: '<|begin_of_text|>',
        eos_token: '<|im_end|>',
      },
    ],
  ])('%s renders to the %s family', (_name, familyId, config) => {
    const derived = derivedFrom(tokenizerConfig(config));
    expect(text(derived)).toEqual(text(templateFor(familyId, { writeBos: true, date: DATE })));
    expect(derived.writeBos).toBe(true);
    expect(derived.family).toBe('custom');
  });

  it('Phi-3.5: same text, but the template itself writes no BOS', () => {
    const derived = derivedFrom(
      tokenizerConfig({ chat_template: PHI_3_5, bos_token: '<s>', eos_token: '<|endoftext|>' }),
    );
    const family = templateFor('phi-3', { writeBos: true });
    expect(derived.bos).toBe('');
    expect(derived.preQuery).toBe(family.preQuery);
    expect(derived.postQuery).toBe(family.postQuery);
  });

  it('old Mistral revisions put a space before [/INST]', () => {
    const mistralV01 =
      "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token + ' ' }}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";
    const derived = deriveTemplate(mistralV01, {
      bosToken: '<s>',
      eosToken: '</s>',
      writeBos: true,
    });
    expect(text(derived)).toEqual({ bos: '<s>', preQuery: '[INST] ', postQuery: ' [/INST]' });
    expect(derived.responseStops).toEqual(['</s>', '[/INST]']);
  });

  it('prints the given date where the template calls strftime_now', () => {
    const derived = deriveTemplate(LLAMA_3_2, {
      bosToken: '<|begin_of_text|>',
      writeBos: false,
      date: new Date(2024, 6, 26),
    });
    expect(derived.preQuery).toContain('Today Date: 26 Jul 2024\n');
  });

  it('stops at the eos token and the special tokens after the user message', () => {
    const llama = derivedFrom(
      tokenizerConfig({
        chat_template: LLAMA_3_1,
        bos_token: '<|begin_of_text|>',
        eos_token: '<|eot_id|>',
      }),
    );
    expect(llama.responseStops).toEqual(['<|eot_id|>', '<|start_header_id|>', '<|end_header_id|>']);
    expect(llama.instructionStops).toEqual([...llama.responseStops, 'assistant']);

    const gemma = derivedFrom(
      tokenizerConfig({ chat_template: GEMMA_2, bos_token: '<bos>', eos_token: '<eos>' }),
    );
    expect(gemma.responseStops).toEqual(['<eos>', '<end_of_turn>', '<start_of_turn>']);

    const qwen3 = derivedFrom(
      tokenizerConfig({ chat_template: QWEN_3, bos_token: null, eos_token: '<|im_end|>' }),
    );
    // The think block is part of the prompt, not something to stop at.
    expect(qwen3.responseStops).toEqual(['<|im_end|>', '<|im_start|>']);
  });

  it('keeps the BOS in the pre-query text when the template does not start with it', () => {
    const derived = deriveTemplate("{{ 'x' + bos_token }}{{ messages[0].content }}", {
      bosToken: '<s>',
      writeBos: true,
    });
    expect(text(derived)).toEqual({ bos: '', preQuery: 'x<s>', postQuery: '' });
  });

  it('records the family it is given', () => {
    expect(deriveTemplate(CHATML, { writeBos: false, family: 'chatml' }).family).toBe('chatml');
  });
});

describe('deriveTemplate errors', () => {
  it('throws when the template does not print the user message', () => {
    expect(() => deriveTemplate('{{ bos_token }}Hello', { writeBos: true })).toThrow(
      /did not print the user message/,
    );
  });

  it('throws when the template prints the user message twice', () => {
    expect(() =>
      deriveTemplate('{{ messages[0].content }}{{ messages[0].content }}', { writeBos: true }),
    ).toThrow(/prints the user message twice/);
  });

  it('throws a clear error when the template raises', () => {
    expect(() =>
      deriveTemplate("{{ raise_exception('System role not supported') }}", { writeBos: true }),
    ).toThrow(/chat template failed to render: System role not supported/);
  });

  it('throws a clear error when the template does not parse', () => {
    expect(() => deriveTemplate('{% if %}', { writeBos: true })).toThrow(
      /chat template failed to render/,
    );
  });
});

describe('parseTokenizerConfig', () => {
  it('reads a plain template and string tokens', () => {
    expect(
      parseTokenizerConfig(
        tokenizerConfig({ chat_template: CHATML, bos_token: '<s>', eos_token: '</s>' }),
      ),
    ).toEqual({ chatTemplate: CHATML, bosToken: '<s>', eosToken: '</s>' });
  });

  it('reads AddedToken objects and null tokens', () => {
    const json = tokenizerConfig({
      chat_template: CHATML,
      bos_token: { __type: 'AddedToken', content: '<s>', lstrip: false, special: true },
      eos_token: null,
    });
    expect(parseTokenizerConfig(json)).toEqual({
      chatTemplate: CHATML,
      bosToken: '<s>',
      eosToken: '',
    });
  });

  it("takes the 'default' entry of named templates", () => {
    const json = tokenizerConfig({
      chat_template: [
        { name: 'tool_use', template: 'tools' },
        { name: 'default', template: 'plain' },
      ],
    });
    expect(parseTokenizerConfig(json).chatTemplate).toBe('plain');
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['not an object', '[]', /must hold a JSON object/],
    ['no chat_template', tokenizerConfig({ bos_token: '<s>' }), /has no chat_template/],
    [
      'no default entry',
      tokenizerConfig({ chat_template: [{ name: 'tool_use', template: 'x' }] }),
      /no chat template named 'default' \(has: tool_use\)/,
    ],
  ])('rejects %s', (_name, json, message) => {
    expect(() => parseTokenizerConfig(json)).toThrow(message);
  });
});
