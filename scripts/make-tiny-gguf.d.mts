/** Types of make-tiny-gguf.mjs, for the tests and the benchmark that import it. */
export const TINY_GGUF_DEFAULT: string;
export const CHATML_TEMPLATE: string;
export function makeTinyGguf(opts?: {
  template?: boolean;
  seed?: number;
  name?: string;
  architecture?: string;
}): Buffer;
