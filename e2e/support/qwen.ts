/** Qwen2.5 Instruct, the model family the fake server plays in most tests: its template. */
export const QWEN_MODEL = 'Qwen/Qwen2.5-1.5B-Instruct';
/** What the app sends to ask for an instruction (the default system prompt, then the user turn). */
export const QWEN_PRE =
  '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n';
/** What follows the instruction when the app asks for the response. */
export const QWEN_POST = '<|im_end|>\n<|im_start|>assistant\n';
