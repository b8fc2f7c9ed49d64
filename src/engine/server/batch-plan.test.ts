/** The request shapes: which waiting samples share a request, with which n, prompts and seeds. */
import { describe, expect, it } from 'vitest';
import type { CompletionRequest } from '../../shared/engine';
import { NO_BATCHING, nextBatch, type Waiting } from './batch-plan';

const VLLM = { n: true, promptArrays: true };
const LLAMA = { n: false, promptArrays: true };
const PRE = '<|im_start|>user\n';

const req = (over: Partial<CompletionRequest> = {}): Waiting => ({
  request: { prompt: PRE, maxTokens: 64, temperature: 1, topP: 1, stop: ['\n'], seed: 0, ...over },
});
const seeded = (seeds: number[], over: Partial<CompletionRequest> = {}) =>
  seeds.map((seed) => req({ ...over, seed }));
const shape = (p: ReturnType<typeof nextBatch>) => ({
  prompt: p.prompt,
  n: p.n,
  seed: p.seed,
  seeds: p.seeds,
});

describe('nextBatch', () => {
  it('asks for n samples of one prompt, seeded with the first of consecutive per-sample seeds', () => {
    const waiting = seeded([10, 11, 12, 13]);
    const plan = nextBatch(waiting, VLLM, 32);
    expect(shape(plan)).toEqual({ prompt: PRE, n: 4, seed: 10, seeds: [10, 11, 12, 13] });
    expect(plan.members).toEqual(waiting);
  });

  it('splits non-consecutive seeds so every sample keeps exactly its own seed', () => {
    const waiting = seeded([10, 11, 20, 21, 22]);
    const first = nextBatch(waiting, VLLM, 32);
    expect(shape(first)).toMatchObject({ n: 2, seed: 10, seeds: [10, 11] });
    const rest = waiting.filter((w) => !first.members.includes(w));
    expect(shape(nextBatch(rest, VLLM, 32))).toMatchObject({ n: 3, seed: 20, seeds: [20, 21, 22] });
  });

  it('caps n at the batch size', () => {
    const plan = nextBatch(seeded([0, 1, 2, 3, 4, 5]), VLLM, 4);
    expect(shape(plan)).toMatchObject({ n: 4, seed: 0, seeds: [0, 1, 2, 3] });
  });

  it('sends different prompts as an array with one shared seed, the smallest', () => {
    const waiting = [
      req({ prompt: 'A', seed: 7 }),
      req({ prompt: 'B', seed: 5 }),
      req({ prompt: 'C', seed: 9 }),
    ];
    const plan = nextBatch(waiting, VLLM, 32);
    expect(shape(plan)).toEqual({
      prompt: ['A', 'B', 'C'],
      n: undefined,
      seed: 5,
      seeds: [5, 5, 5],
    });
  });

  it('never puts one prompt twice in a seeded array (one seed would give twice the same sample)', () => {
    const waiting = [
      req({ prompt: 'A', seed: 1 }),
      req({ prompt: 'A', seed: 3 }),
      req({ prompt: 'B', seed: 2 }),
    ];
    expect(nextBatch(waiting, LLAMA, 32).prompt).toEqual(['A', 'B']);
  });

  it('keeps different sampling settings apart', () => {
    const waiting = [
      req({ prompt: 'A' }),
      req({ prompt: 'B', maxTokens: 9 }),
      req({ prompt: 'C' }),
    ];
    expect(nextBatch(waiting, VLLM, 32).prompt).toEqual(['A', 'C']);
  });

  it('without n (llama.cpp) sends identical seeded prompts one per request, each with its seed', () => {
    const plan = nextBatch(seeded([3, 4, 5]), LLAMA, 32);
    expect(shape(plan)).toEqual({ prompt: PRE, n: undefined, seed: 3, seeds: [3] });
  });

  it('unseeded identical prompts need no seed run', () => {
    const plan = nextBatch([req({ seed: undefined }), req({ seed: undefined })], VLLM, 32);
    expect(shape(plan)).toEqual({
      prompt: PRE,
      n: 2,
      seed: undefined,
      seeds: [undefined, undefined],
    });
  });

  it('a server that takes neither gets one prompt per request', () => {
    const plan = nextBatch(
      [req({ prompt: 'A', seed: 1 }), req({ prompt: 'B', seed: 2 })],
      NO_BATCHING,
      32,
    );
    expect(shape(plan)).toEqual({ prompt: 'A', n: undefined, seed: 1, seeds: [1] });
  });
});
