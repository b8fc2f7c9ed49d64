import type { RunSettings, StepSampling } from '../run';
import type { ChatTemplateSpec, PromptTemplate } from '../template';
import * as SOURCES from './chat-sources';

/**
 * One chat-template family: the literal text a model's own chat template renders around a single
 * user message, split where the message goes. Every string here was checked against a copy of the
 * model's chat template (see the comment on each entry); derive.ts recomputes several of them from
 * the Jinja source in its tests.
 */
export interface TemplateFamily {
  id: string;
  label: string;
  /** BOS text the template writes (or the tokenizer adds); '' for families without one. */
  bos: string;
  /** Text before the user message. A function where the template prints today's date. */
  preQuery: string | ((date: Date) => string);
  /** Text between the user message and the assistant's reply. */
  postQuery: string;
  instructionStops: readonly string[];
  responseStops: readonly string[];
  /** Tested against the model id's last path segment (org prefix removed). */
  matches: RegExp;
  /** The model's own chat template; the strings above are pinned cuts of it (tests check). */
  chat: Omit<ChatTemplateSpec, 'date'>;
  sampling: { instruction: StepSampling; response: StepSampling };
}

const MONTHS_SHORT = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The subset of Python's strftime that chat templates use (`strftime_now("%d %b %Y")`).
 * English month names on purpose: Python's default C locale prints them, whatever the host's
 * locale is, and the prompt text must not change with the browser's language.
 */
export function strftime(date: Date, format: string): string {
  const pad2 = (n: number) => String(n).padStart(2, '0');
  return format.replace(/%[YmdbBHM%]/g, (token) => {
    switch (token) {
      case '%Y':
        return String(date.getFullYear());
      case '%m':
        return pad2(date.getMonth() + 1);
      case '%d':
        return pad2(date.getDate());
      case '%b':
        return MONTHS_SHORT[date.getMonth()] ?? '';
      case '%B':
        return MONTHS_LONG[date.getMonth()] ?? '';
      case '%H':
        return pad2(date.getHours());
      case '%M':
        return pad2(date.getMinutes());
      default:
        return '%';
    }
  });
}

/** A local calendar day as YYYY-MM-DD, and back: how a template's date is stored. */
export const dayOf = (date: Date): string => strftime(date, '%Y-%m-%d');

export function parseDay(day: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`Not a day (YYYY-MM-DD): ${day}`);
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function step(temperature: number, topP: number, maxTokens: number): StepSampling {
  // The authors used no repetition penalty in either step.
  return { temperature, topP, maxTokens, repetitionPenalty: 1.0 };
}

// Browser-sized token budgets: the authors allowed 4096 for responses on GPUs.
const INSTRUCTION_MAX_TOKENS = 256;
const RESPONSE_MAX_TOKENS = 1024;

/** Higher temperature for queries (diversity), lower for answers (quality), as in the paper. */
function sampling(
  instruction: [temperature: number, topP: number],
  response: [temperature: number, topP: number] = [0.6, 0.9],
): TemplateFamily['sampling'] {
  return {
    instruction: step(...instruction, INSTRUCTION_MAX_TOKENS),
    response: step(...response, RESPONSE_MAX_TOKENS),
  };
}

const GENERAL_SAMPLING = sampling([1.0, 1.0]);

/**
 * The authors stopped instructions at the family's special tokens and at the word 'assistant'
 * (`stop_tokens_assistant` in magpie-align/magpie configs/model_configs.json): a model that
 * leaks its own role header has started answering.
 */
const withAssistantStop = (tokens: readonly string[]) => [...tokens, 'assistant'];

// Stop sets copied from magpie-align/magpie configs/model_configs.json where the authors had one.
const LLAMA3_SPECIAL = [
  '<|eot_id|>',
  '<|end_of_text|>',
  '<|start_header_id|>',
  '<|end_header_id|>',
];
const LLAMA3_END = ['<|eot_id|>', '<|end_of_text|>'];
const CHATML_SPECIAL = ['<|im_end|>', '<|im_start|>', '<|endoftext|>'];
const CHATML_END = ['<|im_end|>', '<|endoftext|>'];
const GEMMA_SPECIAL = ['<end_of_turn>', '<eos>', '<start_of_turn>', '<bos>'];
const GEMMA_END = ['<end_of_turn>', '<eos>'];

const LLAMA3_BOS = '<|begin_of_text|>';
const LLAMA3_USER = '<|start_header_id|>user<|end_header_id|>\n\n';
const LLAMA3_POST = '<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n';
const CHATML_USER = '<|im_start|>user\n';
const CHATML_POST = '<|im_end|>\n<|im_start|>assistant\n';
const GEMMA_USER = '<start_of_turn>user\n';
const GEMMA_POST = '<end_of_turn>\n<start_of_turn>model\n';

/** The system block Llama-3.1+ templates always print, even with no system message. */
const llamaDatedSystem = (date: string) =>
  '<|start_header_id|>system<|end_header_id|>\n\n' +
  `Cutting Knowledge Date: December 2023\nToday Date: ${date}\n\n<|eot_id|>`;

const chatmlSystem = (text: string) => `<|im_start|>system\n${text}<|im_end|>\n`;

const chat = (
  source: string,
  bosToken: string,
  eosToken: string,
  system: ChatTemplateSpec['system'] = 'native',
): TemplateFamily['chat'] => ({ source, bosToken, eosToken, system });

const llama3 = {
  bos: LLAMA3_BOS,
  postQuery: LLAMA3_POST,
  instructionStops: withAssistantStop(LLAMA3_SPECIAL),
  responseStops: LLAMA3_END,
};

const chatml = {
  bos: '',
  postQuery: CHATML_POST,
  instructionStops: withAssistantStop(CHATML_SPECIAL),
  responseStops: CHATML_END,
};

const gemma = {
  bos: '<bos>',
  preQuery: GEMMA_USER,
  postQuery: GEMMA_POST,
  instructionStops: withAssistantStop(GEMMA_SPECIAL),
  responseStops: GEMMA_END,
  sampling: GENERAL_SAMPLING,
};

/** Matches nothing: a family the user picks by hand, never one detectFamily guesses. */
const PICKED_BY_HAND = /(?!)/;

/**
 * Order matters: detectFamily takes the first match, so the specific patterns (Hermes-3 is a
 * Llama fine-tune, Qwen2.5 starts like Qwen2) come before the general ones. A version must end
 * at a separator ('-' in HF and WebLLM ids, ':' in Ollama tags) so that e.g. gemma-2b (Gemma 1)
 * or Qwen3.5 do not pass for Gemma-2 or Qwen3.
 */
export const TEMPLATE_FAMILIES: readonly TemplateFamily[] = [
  {
    // NousResearch/Hermes-3-Llama-3.1-8B tokenizer_config.json, chat_template "default": ChatML
    // with '{{bos_token}}' and a default system prompt when none is given. Hermes-3-Llama-3.2-3B
    // is assumed to ship the same template (same release, same tokenizer).
    id: 'hermes-3',
    label: 'Hermes-3 (ChatML, default system prompt)',
    bos: LLAMA3_BOS,
    preQuery: chatmlSystem('You are a helpful assistant.') + CHATML_USER,
    postQuery: CHATML_POST,
    instructionStops: withAssistantStop(['<|im_end|>', '<|im_start|>', '<|end_of_text|>']),
    responseStops: ['<|im_end|>', '<|end_of_text|>'],
    matches: /^hermes-?3(?=[-_:]|$)/i,
    chat: chat(SOURCES.HERMES_3, LLAMA3_BOS, '<|im_end|>'),
    sampling: GENERAL_SAMPLING,
  },
  {
    // meta-llama Llama-3.2-3B-Instruct template (copy in llama.cpp models/templates): the system
    // block carries strftime_now("%d %b %Y"), i.e. the day the prompt is rendered.
    id: 'llama-3.2',
    label: 'Llama-3.2 Instruct (own template, today’s date)',
    ...llama3,
    preQuery: (date) => llamaDatedSystem(strftime(date, '%d %b %Y')) + LLAMA3_USER,
    matches: /^(meta-)?llama-?3\.2(?=[-_:]|$)/i,
    chat: chat(SOURCES.LLAMA_3_2, LLAMA3_BOS, '<|eot_id|>'),
    // The notes give 0.8-0.9 for Llama-3.1-class models; the upper end keeps queries diverse.
    sampling: sampling([0.9, 1.0]),
  },
  {
    // meta-llama Llama-3.1 / 3.3 Instruct template: same system block with the fixed fallback
    // date "26 Jul 2024" (no strftime_now call).
    id: 'llama-3.1',
    label: 'Llama-3.1 / 3.3 Instruct (own template)',
    ...llama3,
    preQuery: llamaDatedSystem('26 Jul 2024') + LLAMA3_USER,
    matches: /^(meta-)?llama-?3\.[13](?=[-_:]|$)/i,
    chat: chat(SOURCES.LLAMA_3_1, LLAMA3_BOS, '<|eot_id|>'),
    sampling: sampling([0.9, 1.0]),
  },
  {
    // The authors' pre_query_template for every Llama-3.x model, and exactly Meta-Llama-3-8B-
    // Instruct's own template (no system block), which is why Llama-3 ids land here.
    id: 'llama-3-plain',
    label: 'Llama-3.x, Magpie authors’ plain',
    ...llama3,
    preQuery: LLAMA3_USER,
    matches: /^(meta-)?llama-?3(?=[-_:]|$)/i,
    chat: chat(SOURCES.LLAMA_3, LLAMA3_BOS, '<|eot_id|>'),
    sampling: GENERAL_SAMPLING,
  },
  {
    // Qwen3 template with enable_thinking=false: no default system prompt, and an empty think
    // block after the assistant header. 2507, Coder and VL releases ship other templates.
    id: 'qwen3',
    label: 'Qwen3 (thinking off)',
    ...chatml,
    preQuery: CHATML_USER,
    postQuery: CHATML_POST + '<think>\n\n</think>\n\n',
    matches: /^qwen-?3(?=[-_:]|$)(?!.*(?:2507|coder|vl))/i,
    chat: chat(SOURCES.QWEN_3, '', '<|im_end|>'),
    // Qwen3's card recommends 0.7 / 0.8 for answers in non-thinking mode.
    sampling: sampling([1.0, 1.0], [0.7, 0.8]),
  },
  {
    // Qwen2.5 (and Qwen2.5-Coder) Instruct template: injects its default system prompt, without
    // which Qwen2.5 writes fragments instead of instructions. Qwen2.5-Math uses another prompt.
    id: 'qwen2.5',
    label: 'Qwen2.5 Instruct (default system prompt)',
    ...chatml,
    preQuery:
      chatmlSystem('You are Qwen, created by Alibaba Cloud. You are a helpful assistant.') +
      CHATML_USER,
    matches: /^qwen-?2\.5(?=[-_:]|$)(?!.*(?:math|vl|omni))/i,
    chat: chat(SOURCES.QWEN_2_5, '', '<|im_end|>'),
    // The notes give 0.6-0.7 for Qwen2.5 queries; the upper end keeps them diverse.
    sampling: sampling([0.7, 1.0]),
  },
  {
    // Qwen2-Instruct template injects "You are a helpful assistant." when there is no system
    // message (hiyouga/LLaMA-Factory tests/data/test_template.py renders Qwen2-7B-Instruct so).
    // The authors prompted Qwen2 with the bare user header instead; pick chatml for that.
    id: 'qwen2',
    label: 'Qwen2 Instruct (default system prompt)',
    ...chatml,
    preQuery: chatmlSystem('You are a helpful assistant.') + CHATML_USER,
    matches: /^qwen-?2(?=[-_:]|$)(?!.*(?:math|vl|audio))/i,
    chat: chat(SOURCES.QWEN2, '', '<|im_end|>'),
    sampling: GENERAL_SAMPLING,
  },
  {
    // HuggingFaceTB/SmolLM2-*-Instruct template: ChatML with its own default system prompt.
    id: 'smollm2',
    label: 'SmolLM2 Instruct (default system prompt)',
    ...chatml,
    preQuery:
      chatmlSystem('You are a helpful AI assistant named SmolLM, trained by Hugging Face') +
      CHATML_USER,
    matches: /^smollm2(?=[-_:]|$)/i,
    chat: chat(SOURCES.SMOLLM2, '<|im_start|>', '<|im_end|>'),
    sampling: GENERAL_SAMPLING,
  },
  {
    id: 'chatml',
    label: 'Generic ChatML (no system prompt)',
    ...chatml,
    preQuery: CHATML_USER,
    matches: PICKED_BY_HAND,
    chat: chat(SOURCES.CHATML, '', '<|im_end|>'),
    sampling: GENERAL_SAMPLING,
  },
  {
    // microsoft/Phi-3.5-mini-instruct template (copy in llama.cpp models/templates). The template
    // itself writes no BOS; '<s>' follows the authors' Phi-3 pre_query_template "<s> <|user|>\n".
    id: 'phi-3',
    label: 'Phi-3 / Phi-3.5 mini',
    bos: '<s>',
    preQuery: '<|user|>\n',
    postQuery: '<|end|>\n<|assistant|>\n',
    instructionStops: withAssistantStop([
      '<|end|>',
      '<|endoftext|>',
      '<|user|>',
      '<|assistant|>',
      '<|system|>',
      '</s>',
      '<s>',
    ]),
    responseStops: ['<|end|>', '<|endoftext|>'],
    matches: /^phi-?3(?:\.5)?(?=[-_:]|$)(?!.*(?:small|vision|moe))/i,
    chat: chat(SOURCES.PHI_3_5, '<s>', '<|endoftext|>'),
    sampling: GENERAL_SAMPLING,
  },
  {
    // google/gemma-2-2b-it template: '{{ bos_token }}', user turn, content | trim, model turn.
    // (The authors' Gemma-2 pre-query added a second '\n' after the user header.)
    id: 'gemma-2',
    label: 'Gemma-2 it',
    ...gemma,
    matches: /^gemma-?2(?=[-_:]|$)/i,
    chat: chat(SOURCES.GEMMA_2, '<bos>', '<eos>', 'fold'),
  },
  {
    // google/gemma-3 it template: same text as Gemma-2 when there is no system message.
    id: 'gemma-3',
    label: 'Gemma-3 it',
    ...gemma,
    matches: /^gemma-?3(?=[-_:]|$)/i,
    chat: chat(SOURCES.GEMMA_3, '<bos>', '<eos>'),
  },
  {
    // Mistral tokenizer v3 (docs.mistral.ai tokenization guide): "<s>[INST] user[/INST]".
    // Older revisions of the repo's template wrote " [/INST]" with a space.
    id: 'mistral-v0.3',
    label: 'Mistral-7B-Instruct v0.3',
    bos: '<s>',
    preQuery: '[INST] ',
    postQuery: '[/INST]',
    instructionStops: withAssistantStop(['</s>', '[INST]', '[/INST]', '<s>']),
    responseStops: ['</s>'],
    matches: /^mistral[-:]7b-instruct-v0\.3/i,
    chat: chat(SOURCES.MISTRAL_V3, '<s>', '</s>'),
    sampling: GENERAL_SAMPLING,
  },
  {
    // allenai/OLMo-2-1124-13B-Instruct tokenizer_config.json (Tulu template, BOS <|endoftext|>).
    // <|user|> and friends are plain text for OLMo-2, so a reply that opens a new user turn is
    // stopped there as well as at the end-of-text token.
    id: 'olmo-2',
    label: 'OLMo-2 Instruct',
    bos: '<|endoftext|>',
    preQuery: '<|user|>\n',
    postQuery: '\n<|assistant|>\n',
    instructionStops: withAssistantStop([
      '<|endoftext|>',
      '<|user|>',
      '<|assistant|>',
      '<|system|>',
    ]),
    responseStops: ['<|endoftext|>', '<|user|>'],
    matches: /^olmo-?2(?:-.*instruct|:)/i,
    chat: chat(SOURCES.OLMO_2, '<|endoftext|>', '<|endoftext|>'),
    sampling: GENERAL_SAMPLING,
  },
];

export function familyById(id: string): TemplateFamily | undefined {
  return TEMPLATE_FAMILIES.find((f) => f.id === id);
}

/**
 * The family of a WebLLM, Hugging Face or Ollama model id, or undefined when no family is known
 * for it: a wrong template silently ruins a run, so this never guesses.
 */
export function detectFamily(modelId: string): TemplateFamily | undefined {
  const name = modelId.trim().split('/').pop() ?? '';
  return TEMPLATE_FAMILIES.find((f) => f.matches.test(name));
}

export function templateFor(
  familyId: string,
  opts: { writeBos: boolean; date?: Date },
): PromptTemplate {
  const family = familyById(familyId);
  if (!family) throw new Error(`Unknown template family: ${familyId}`);
  const date = opts.date ?? new Date();
  const preQuery = typeof family.preQuery === 'string' ? family.preQuery : family.preQuery(date);
  return {
    family: family.id,
    bos: family.bos,
    writeBos: opts.writeBos,
    preQuery,
    postQuery: family.postQuery,
    instructionStops: [...family.instructionStops],
    responseStops: [...family.responseStops],
    chat: { ...family.chat, date: dayOf(date) },
  };
}

/** Run settings for a family; ids outside the table (e.g. 'custom') get the general defaults. */
export function defaultSettingsFor(familyId: string): RunSettings {
  const { instruction, response } = familyById(familyId)?.sampling ?? GENERAL_SAMPLING;
  // The authors banned markdown headings as a Llama-3.1 instruction's first token.
  const firstToken = familyId === 'llama-3.1' ? { firstToken: 'ban-headings' as const } : {};
  return {
    target: 100,
    instruction: { ...instruction },
    response: { ...response },
    seed: 0,
    earlyStopNewline: true,
    sanitize: true,
    keepTruncatedResponses: false,
    minInstructionChars: 10,
    ...firstToken,
  };
}
