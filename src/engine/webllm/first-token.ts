/**
 * First-token control for WebLLM: a logit processor that changes the logits of the first token
 * a request samples and leaves every later token alone. A request-wide `logit_bias` is not the
 * same: it would ban a heading token at every step, not only as the opener.
 *
 * WebLLM takes one processor per model at load time (`logitProcessorRegistry`) and calls it for
 * every token of every request, so the engine arms it just before the one request that wants a
 * rule and disarms it afterwards. WebLLMEngine runs one request at a time, so an armed rule can
 * only meet the first logits of its own request.
 */
import type { LogitProcessor } from '@mlc-ai/web-llm';
import type { FirstTokenRule } from '../../shared/engine';

/** The authors' flaming-tokens factor: the first token's logits are divided by it. */
export const FLAMING_DIVISOR = 1.2;

/** The markdown headings the authors banned as an instruction's first token. */
const HEADINGS = ['#', '##', '###', '####'];

/** The part of WebLLM's tokenizer (@mlc-ai/web-tokenizers) this needs. */
export interface TokenEncoder {
  encode(text: string): Int32Array | number[];
}

/**
 * Token ids that are a whole heading marker by themselves (Llama-3: 2, 567, 14711, 827). Ids the
 * tokenizer adds to every text (a BOS) are left out; a marker that takes two tokens has no single
 * id to ban and is skipped.
 */
export function headingTokenIds(tokenizer: TokenEncoder): number[] {
  const always = Array.from(tokenizer.encode(''));
  const ids = new Set<number>();
  for (const marker of HEADINGS) {
    const encoded = Array.from(tokenizer.encode(marker));
    const own = encoded.slice(startsWith(encoded, always) ? always.length : 0);
    if (own.length === 1) ids.add(own[0]!);
  }
  return [...ids];
}

function startsWith(ids: number[], prefix: number[]): boolean {
  return prefix.length > 0 && prefix.every((id, i) => ids[i] === id);
}

export class FirstTokenProcessor implements LogitProcessor {
  private armed: FirstTokenRule | undefined;
  /** Set once the model is loaded and its tokenizer read. */
  headingIds: number[] = [];

  /** The next logits WebLLM computes (the first of the next request) get `rule`. */
  arm(rule: FirstTokenRule): void {
    this.armed = rule;
  }

  disarm(): void {
    this.armed = undefined;
  }

  processLogits = (logits: Float32Array): Float32Array => {
    const rule = this.armed;
    if (!rule) return logits;
    this.armed = undefined;
    if (rule === 'ban-headings') {
      for (const id of this.headingIds) if (id < logits.length) logits[id] = -Infinity;
    } else {
      for (let i = 0; i < logits.length; i++) logits[i] = logits[i]! / FLAMING_DIVISOR;
    }
    return logits;
  };

  processSampledToken = (): void => {};

  // resetChat() runs at the start of a request, after the engine armed the rule: keep it.
  resetState = (): void => {};
}
