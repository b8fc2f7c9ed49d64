/**
 * WebLLMEngine.chat (the judge) against a fake '@mlc-ai/web-llm': the request WebLLM
 * receives (JSON mode with the schema as a string, temperature 0) and the answer read
 * back in WebLLM 0.2.86's ChatCompletion shape; queued behind generation.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatRequest } from '../../shared/engine';
import { WebLLMEngine } from './webllm-engine';

const h = vi.hoisted(() => {
  const state = { engines: [] as FakeMLCEngine[], gate: undefined as Promise<void> | undefined };
  class FakeMLCEngine {
    log: string[] = [];
    requests: Record<string, unknown>[] = [];
    constructor(_config: unknown) {
      state.engines.push(this);
    }
    async reload() {}
    async unload() {}
    async interruptGenerate() {
      this.log.push('interrupt');
    }
    completions = {
      create: async () => {
        this.log.push('completion start');
        await state.gate;
        this.log.push('completion end');
        return {
          id: 'x',
          object: 'text_completion',
          created: 1,
          model: 'm',
          choices: [{ index: 0, text: 'How?', finish_reason: 'stop', logprobs: null }],
        };
      },
    };
    chat = {
      completions: {
        create: async (req: Record<string, unknown>) => {
          this.log.push('chat');
          this.requests.push(structuredClone(req));
          return {
            id: 'c',
            object: 'chat.completion',
            created: 1,
            model: 'm',
            choices: [
              {
                index: 0,
                finish_reason: 'stop',
                logprobs: null,
                message: { role: 'assistant', content: '{"reason": "Fine.", "score": 7}' },
              },
            ],
            usage: {
              prompt_tokens: 120,
              completion_tokens: 14,
              total_tokens: 134,
              extra: { e2e_latency_s: 0.5 },
            },
          };
        },
      },
    };
  }
  return { state, FakeMLCEngine };
});

vi.mock('@mlc-ai/web-llm', () => ({
  MLCEngine: h.FakeMLCEngine,
  prebuiltAppConfig: { model_list: [] },
}));

afterEach(() => {
  h.state.engines.length = 0;
  h.state.gate = undefined;
});

const SCHEMA = { type: 'object', properties: { score: { type: 'integer' } }, required: ['score'] };
const request: ChatRequest = {
  messages: [{ role: 'user', content: 'Rate this response.' }],
  maxTokens: 256,
  temperature: 0,
  jsonSchema: SCHEMA,
};

describe('WebLLMEngine.chat', () => {
  it("sends WebLLM's JSON mode with the schema as a string and reads the message", async () => {
    const engine = new WebLLMEngine({ model: 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC' });
    await engine.load();
    const result = await engine.chat(request);
    expect(h.state.engines[0]?.requests).toEqual([
      {
        messages: [{ role: 'user', content: 'Rate this response.' }],
        max_tokens: 256,
        temperature: 0,
        stream: false,
        response_format: { type: 'json_object', schema: JSON.stringify(SCHEMA) },
      },
    ]);
    expect(result).toEqual({
      text: '{"reason": "Fine.", "score": 7}',
      finishReason: 'stop',
      usage: expect.objectContaining({ promptTokens: 120, completionTokens: 14, latencyMs: 500 }),
    });
  });

  it('waits for a generation request in progress (WebLLM serves one at a time)', async () => {
    const engine = new WebLLMEngine({ model: 'm' });
    await engine.load();
    let open!: () => void;
    h.state.gate = new Promise((r) => (open = r));
    const generation = engine.complete({
      prompt: 'x',
      maxTokens: 8,
      temperature: 1,
      topP: 1,
      stop: [],
    });
    const judged = engine.chat(request);
    await new Promise((r) => setTimeout(r, 5));
    open();
    await Promise.all([generation, judged]);
    expect(h.state.engines[0]?.log).toEqual(['completion start', 'completion end', 'chat']);
  });

  it('a stopped judge request ends as aborted without reaching the model', async () => {
    const engine = new WebLLMEngine({ model: 'm' });
    await engine.load();
    const stop = new AbortController();
    stop.abort();
    await expect(engine.chat(request, { signal: stop.signal })).rejects.toMatchObject({
      code: 'aborted',
    });
    expect(h.state.engines[0]?.log).toEqual([]);
  });
});
