import { describe, expect, it } from 'vitest';
import { instructionPrompt, responsePrompt, type ChatTurn } from '../template';
import { GEMMA_2, MISTRAL_V3 } from './chat-sources';
import { deriveTemplate } from './derive';
import { TEMPLATE_FAMILIES, templateFor } from './families';
import { renderInstructionPrompt, renderResponsePrompt, systemRoleOf } from './render';

const DATE = new Date(2025, 0, 5);
const SYSTEM = 'You are a math tutor.';
const TURN_2: ChatTurn[] = [
  { role: 'user', content: 'What is 2+2?' },
  { role: 'assistant', content: '4.' },
];
const TURN_3: ChatTurn[] = [
  ...TURN_2,
  { role: 'user', content: 'And 3+3?' },
  { role: 'assistant', content: '6.' },
];

/**
 * Every family's own chat template, rendered for each conversation shape the pipeline asks for
 * (BOS written by the app). Checked by reading each template: default system prompts give way
 * to a given one (ChatML families), Llama-3.1+ put it after the date header, Gemma folds it into
 * the first user turn, Mistral v3 prints it before the *last* user message, OLMo-2 ends earlier
 * assistant turns with its end-of-text token, Qwen3 adds the empty think block only to the reply
 * opener.
 *  - system: instruction step, first turn, with a system prompt;
 *  - turn2 / turn3: instruction step after one / two exchanges (turn3 with a system prompt, as
 *    the authors' multi-turn recipe asks for);
 *  - turn2Response / turn3Response: the reply to the next instruction, no system prompt;
 *  - preference: the reply prompt a preference run samples k times (system prompt kept).
 */
const EXPECTED: Record<
  string,
  Record<'system' | 'turn2' | 'turn2Response' | 'turn3' | 'turn3Response' | 'preference', string>
> = {
  'hermes-3': {
    system:
      '<|begin_of_text|><|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\n',
    turn2:
      '<|begin_of_text|><|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\n',
    turn2Response:
      '<|begin_of_text|><|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n',
    turn3:
      '<|begin_of_text|><|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\n',
    turn3Response:
      '<|begin_of_text|><|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\nAnd 4+4?<|im_end|>\n<|im_start|>assistant\n',
    preference:
      '<|begin_of_text|><|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  },
  'llama-3.2': {
    system:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 05 Jan 2025\n\nYou are a math tutor.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
    turn2:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 05 Jan 2025\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
    turn2Response:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 05 Jan 2025\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    turn3:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 05 Jan 2025\n\nYou are a math tutor.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n6.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
    turn3Response:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 05 Jan 2025\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n6.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 4+4?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    preference:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 05 Jan 2025\n\nYou are a math tutor.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
  },
  'llama-3.1': {
    system:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are a math tutor.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
    turn2:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
    turn2Response:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    turn3:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are a math tutor.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n6.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
    turn3Response:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n6.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 4+4?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    preference:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are a math tutor.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
  },
  'llama-3-plain': {
    system:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a math tutor.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
    turn2:
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
    turn2Response:
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    turn3:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a math tutor.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n6.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n',
    turn3Response:
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n4.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n6.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd 4+4?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    preference:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a math tutor.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
  },
  qwen3: {
    system: '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\n',
    turn2:
      '<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\n',
    turn2Response:
      '<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
    turn3:
      '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\n',
    turn3Response:
      '<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\nAnd 4+4?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
    preference:
      '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
  },
  'qwen2.5': {
    system: '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\n',
    turn2:
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\n',
    turn2Response:
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n',
    turn3:
      '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\n',
    turn3Response:
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\nAnd 4+4?<|im_end|>\n<|im_start|>assistant\n',
    preference:
      '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  },
  qwen2: {
    system: '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\n',
    turn2:
      '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\n',
    turn2Response:
      '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n',
    turn3:
      '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\n',
    turn3Response:
      '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\nAnd 4+4?<|im_end|>\n<|im_start|>assistant\n',
    preference:
      '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  },
  smollm2: {
    system: '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\n',
    turn2:
      '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\n',
    turn2Response:
      '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n',
    turn3:
      '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\n',
    turn3Response:
      '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\nAnd 4+4?<|im_end|>\n<|im_start|>assistant\n',
    preference:
      '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  },
  chatml: {
    system: '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\n',
    turn2:
      '<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\n',
    turn2Response:
      '<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n',
    turn3:
      '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\n',
    turn3Response:
      '<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6.<|im_end|>\n<|im_start|>user\nAnd 4+4?<|im_end|>\n<|im_start|>assistant\n',
    preference:
      '<|im_start|>system\nYou are a math tutor.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  },
  'phi-3': {
    system: '<s><|system|>\nYou are a math tutor.<|end|>\n<|user|>\n',
    turn2: '<s><|user|>\nWhat is 2+2?<|end|>\n<|assistant|>\n4.<|end|>\n<|user|>\n',
    turn2Response:
      '<s><|user|>\nWhat is 2+2?<|end|>\n<|assistant|>\n4.<|end|>\n<|user|>\nAnd 3+3?<|end|>\n<|assistant|>\n',
    turn3:
      '<s><|system|>\nYou are a math tutor.<|end|>\n<|user|>\nWhat is 2+2?<|end|>\n<|assistant|>\n4.<|end|>\n<|user|>\nAnd 3+3?<|end|>\n<|assistant|>\n6.<|end|>\n<|user|>\n',
    turn3Response:
      '<s><|user|>\nWhat is 2+2?<|end|>\n<|assistant|>\n4.<|end|>\n<|user|>\nAnd 3+3?<|end|>\n<|assistant|>\n6.<|end|>\n<|user|>\nAnd 4+4?<|end|>\n<|assistant|>\n',
    preference: '<s><|system|>\nYou are a math tutor.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\n',
  },
  'gemma-2': {
    system: '<bos><start_of_turn>user\nYou are a math tutor.\n\n',
    turn2:
      '<bos><start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n4.<end_of_turn>\n<start_of_turn>user\n',
    turn2Response:
      '<bos><start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n4.<end_of_turn>\n<start_of_turn>user\nAnd 3+3?<end_of_turn>\n<start_of_turn>model\n',
    turn3:
      '<bos><start_of_turn>user\nYou are a math tutor.\n\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n4.<end_of_turn>\n<start_of_turn>user\nAnd 3+3?<end_of_turn>\n<start_of_turn>model\n6.<end_of_turn>\n<start_of_turn>user\n',
    turn3Response:
      '<bos><start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n4.<end_of_turn>\n<start_of_turn>user\nAnd 3+3?<end_of_turn>\n<start_of_turn>model\n6.<end_of_turn>\n<start_of_turn>user\nAnd 4+4?<end_of_turn>\n<start_of_turn>model\n',
    preference:
      '<bos><start_of_turn>user\nYou are a math tutor.\n\nHi<end_of_turn>\n<start_of_turn>model\n',
  },
  'gemma-3': {
    system: '<bos><start_of_turn>user\nYou are a math tutor.\n\n',
    turn2:
      '<bos><start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n4.<end_of_turn>\n<start_of_turn>user\n',
    turn2Response:
      '<bos><start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n4.<end_of_turn>\n<start_of_turn>user\nAnd 3+3?<end_of_turn>\n<start_of_turn>model\n',
    turn3:
      '<bos><start_of_turn>user\nYou are a math tutor.\n\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n4.<end_of_turn>\n<start_of_turn>user\nAnd 3+3?<end_of_turn>\n<start_of_turn>model\n6.<end_of_turn>\n<start_of_turn>user\n',
    turn3Response:
      '<bos><start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n4.<end_of_turn>\n<start_of_turn>user\nAnd 3+3?<end_of_turn>\n<start_of_turn>model\n6.<end_of_turn>\n<start_of_turn>user\nAnd 4+4?<end_of_turn>\n<start_of_turn>model\n',
    preference:
      '<bos><start_of_turn>user\nYou are a math tutor.\n\nHi<end_of_turn>\n<start_of_turn>model\n',
  },
  'mistral-v0.3': {
    system: '<s>[INST] You are a math tutor.\n\n',
    turn2: '<s>[INST] What is 2+2?[/INST] 4.</s>[INST] ',
    turn2Response: '<s>[INST] What is 2+2?[/INST] 4.</s>[INST] And 3+3?[/INST]',
    turn3:
      '<s>[INST] What is 2+2?[/INST] 4.</s>[INST] And 3+3?[/INST] 6.</s>[INST] You are a math tutor.\n\n',
    turn3Response:
      '<s>[INST] What is 2+2?[/INST] 4.</s>[INST] And 3+3?[/INST] 6.</s>[INST] And 4+4?[/INST]',
    preference: '<s>[INST] You are a math tutor.\n\nHi[/INST]',
  },
  'olmo-2': {
    system: '<|endoftext|><|system|>\nYou are a math tutor.\n<|user|>\n',
    turn2: '<|endoftext|><|user|>\nWhat is 2+2?\n<|assistant|>\n4.<|endoftext|>\n<|user|>\n',
    turn2Response:
      '<|endoftext|><|user|>\nWhat is 2+2?\n<|assistant|>\n4.<|endoftext|>\n<|user|>\nAnd 3+3?\n<|assistant|>\n',
    turn3:
      '<|endoftext|><|system|>\nYou are a math tutor.\n<|user|>\nWhat is 2+2?\n<|assistant|>\n4.<|endoftext|>\n<|user|>\nAnd 3+3?\n<|assistant|>\n6.<|endoftext|>\n<|user|>\n',
    turn3Response:
      '<|endoftext|><|user|>\nWhat is 2+2?\n<|assistant|>\n4.<|endoftext|>\n<|user|>\nAnd 3+3?\n<|assistant|>\n6.<|endoftext|>\n<|user|>\nAnd 4+4?\n<|assistant|>\n',
    preference: '<|endoftext|><|system|>\nYou are a math tutor.\n<|user|>\nHi\n<|assistant|>\n',
  },
};

describe('renderInstructionPrompt / renderResponsePrompt', () => {
  it('covers every family in the table', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(TEMPLATE_FAMILIES.map((f) => f.id).sort());
  });

  describe.each(Object.entries(EXPECTED))('%s', (id, expected) => {
    const t = templateFor(id, { writeBos: true, date: DATE });

    it('renders the pinned strings for the bare shape (no system prompt, first turn)', () => {
      expect(renderInstructionPrompt(t, { turns: [] })).toBe(instructionPrompt(t));
      expect(renderResponsePrompt(t, { turns: [], instruction: 'Hi' })).toBe(
        responsePrompt(t, 'Hi'),
      );
      const noBos = templateFor(id, { writeBos: false, date: DATE });
      expect(renderInstructionPrompt(noBos, { turns: [] })).toBe(instructionPrompt(noBos));
      expect(renderResponsePrompt(noBos, { turns: [], instruction: 'Hi' })).toBe(
        responsePrompt(noBos, 'Hi'),
      );
    });

    it('renders a system prompt', () => {
      expect(renderInstructionPrompt(t, { system: SYSTEM, turns: [] })).toBe(expected.system);
    });

    it('renders turn 2 and its reply', () => {
      expect(renderInstructionPrompt(t, { turns: TURN_2 })).toBe(expected.turn2);
      expect(renderResponsePrompt(t, { turns: TURN_2, instruction: 'And 3+3?' })).toBe(
        expected.turn2Response,
      );
    });

    it('renders turn 3 and its reply', () => {
      expect(renderInstructionPrompt(t, { system: SYSTEM, turns: TURN_3 })).toBe(expected.turn3);
      expect(renderResponsePrompt(t, { turns: TURN_3, instruction: 'And 4+4?' })).toBe(
        expected.turn3Response,
      );
    });

    it('renders the preference response prompt', () => {
      expect(renderResponsePrompt(t, { system: SYSTEM, turns: [], instruction: 'Hi' })).toBe(
        expected.preference,
      );
    });

    it('leaves the BOS to the server when the app does not write it', () => {
      const noBos = templateFor(id, { writeBos: false, date: DATE });
      expect(renderInstructionPrompt(noBos, { system: SYSTEM, turns: TURN_3 })).toBe(
        expected.turn3.slice(t.bos.length),
      );
    });

    it('knows whether the template has a system role', () => {
      expect(systemRoleOf(t.chat!)).toBe(t.chat!.system);
    });
  });

  it('treats an empty system prompt as none', () => {
    const t = templateFor('qwen2.5', { writeBos: false, date: DATE });
    expect(renderInstructionPrompt(t, { system: '', turns: [] })).toBe(instructionPrompt(t));
  });

  it('renders a server-reported template the same way, system role found by probing', () => {
    const gemma = deriveTemplate(GEMMA_2, {
      bosToken: '<bos>',
      eosToken: '<eos>',
      writeBos: true,
      date: DATE,
    });
    expect(gemma.chat?.system).toBe('fold');
    expect(renderInstructionPrompt(gemma, { system: SYSTEM, turns: TURN_3 })).toBe(
      EXPECTED['gemma-2']!.turn3,
    );
    const mistral = deriveTemplate(MISTRAL_V3, {
      bosToken: '<s>',
      eosToken: '</s>',
      writeBos: false,
      date: DATE,
    });
    expect(mistral.chat?.system).toBe('native');
    expect(renderResponsePrompt(mistral, { turns: TURN_2, instruction: 'And 3+3?' })).toBe(
      '[INST] What is 2+2?[/INST] 4.</s>[INST] And 3+3?[/INST]',
    );
  });

  it('renders hand-edited strings for the bare shape and refuses any other', () => {
    const t = { ...templateFor('chatml', { writeBos: false }), family: 'custom', chat: undefined };
    t.preQuery = '<|im_start|>user\nWrite a question.\n';
    expect(renderInstructionPrompt(t, { turns: [] })).toBe(t.preQuery);
    expect(() => renderInstructionPrompt(t, { system: SYSTEM, turns: [] })).toThrow(
      /edited by hand, so it renders only a first turn without a system prompt/,
    );
    expect(() => renderResponsePrompt(t, { turns: TURN_2, instruction: 'x' })).toThrow(
      /edited by hand/,
    );
  });

  it('refuses earlier turns that are not complete user/assistant exchanges', () => {
    const t = templateFor('chatml', { writeBos: false });
    expect(() => renderInstructionPrompt(t, { turns: TURN_2.slice(0, 1) })).toThrow(
      /complete user\/assistant exchanges/,
    );
    expect(() => renderInstructionPrompt(t, { turns: [TURN_2[1]!, TURN_2[0]!] })).toThrow(
      /turn 1 should be a user message, not assistant/,
    );
  });
});

describe('an instruction with surrounding whitespace', () => {
  it('is printed as the template prints it: trimmed by Llama, kept by ChatML', () => {
    const llama = templateFor('llama-3-plain', { writeBos: false });
    expect(renderResponsePrompt(llama, { turns: [], instruction: ' Hi \n' })).toBe(
      '<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    );
    const chatml = templateFor('chatml', { writeBos: false });
    expect(renderResponsePrompt(chatml, { turns: [], instruction: ' Hi \n' })).toBe(
      '<|im_start|>user\n Hi \n<|im_end|>\n<|im_start|>assistant\n',
    );
  });
});
