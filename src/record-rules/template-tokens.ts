/**
 * Text that looks like a chat template's special tokens: `<|im_start|>`, `<|eot_id|>`,
 * `<start_of_turn>`, `[INST]`, `<s>`, `</s>`, `<think>`... A model that writes these has lost
 * track of the turn structure, and the pair would teach that.
 */
const TEMPLATE_TOKEN =
  /<\|[^|<>\s]{1,40}\|>|<｜[^｜]{1,40}｜>|<(?:start|end)_of_turn>|<\/?(?:s|bos|eos|think)>|\[\/?INST\]|<<\/?SYS>>/;

export function hasLeakedTemplateTokens(text: string): boolean {
  return TEMPLATE_TOKEN.test(text);
}
