/**
 * A stand-in for '@mlc-ai/web-llm' at its one seam for embeddings: an MLCEngine that answers
 * embeddings.create in WebLLM 0.2.86's shape (CreateEmbeddingResponse: data[{index,
 * embedding}], in another order than asked) with bag-of-words vectors, so instructions with
 * the same words are close. No model can be downloaded here; tests mock the module with it:
 *   vi.mock('@mlc-ai/web-llm', async () => ({
 *     MLCEngine: (await import('.../fake-webllm-embedder')).FakeMLCEngine,
 *   }));
 */

export const state = {
  engines: [] as FakeMLCEngine[],
  reloadError: undefined as unknown,
};
const DIM = 64;
const vector = (text: string) => {
  const v = new Array<number>(DIM).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    let x = 0;
    for (const c of word) x = (x * 31 + c.charCodeAt(0)) % 9973;
    v[x % DIM] = (v[x % DIM] ?? 0) + 1;
  }
  return v;
};
export class FakeMLCEngine {
  calls: string[] = [];
  inputs: unknown[] = [];
  constructor(
    readonly config: {
      initProgressCallback?: (r: { progress: number; text: string; timeElapsed: number }) => void;
    },
  ) {
    state.engines.push(this);
  }
  async reload(id: string) {
    this.calls.push(`reload ${id}`);
    this.config.initProgressCallback?.({
      progress: 0.5,
      text: 'Fetching param cache[1/2]: 60MB fetched.',
      timeElapsed: 1,
    });
    if (state.reloadError) throw state.reloadError;
  }
  async unload() {
    this.calls.push('unload');
  }
  embeddings = {
    create: async (req: { input: string[]; model?: string }) => {
      this.inputs.push(structuredClone(req));
      return {
        object: 'list',
        model: req.model,
        data: req.input
          .map((t, index) => ({ object: 'embedding', index, embedding: vector(t) }))
          .reverse(),
        usage: { prompt_tokens: 1, total_tokens: 1, extra: { prefill_tokens_per_s: 1 } },
      };
    },
  };
}
