/**
 * The semantic method at WebLLM's boundary: a fake '@mlc-ai/web-llm' MLCEngine answers
 * embeddings.create in WebLLM 0.2.86's shape (CreateEmbeddingResponse: data[{index,
 * embedding}]) with bag-of-words vectors, so similar instructions are close.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MagpieDB } from '../../store/db';
import { pair } from '../../test-support/fixtures';
import { loadEmbedder } from './embedder';
import { semanticPass } from './semantic-dedup';

const h = vi.hoisted(() => {
  const state = {
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
  class FakeMLCEngine {
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
  return { state, FakeMLCEngine };
});

vi.mock('@mlc-ai/web-llm', () => ({ MLCEngine: h.FakeMLCEngine }));

const dbs: MagpieDB[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
  h.state.engines.length = 0;
  h.state.reloadError = undefined;
});

const MODEL = 'snowflake-arctic-embed-s-q0f32-MLC-b4';

describe('semantic near-duplicates with a WebLLM embedding model', () => {
  it('downloads the model, embeds each distinct instruction once, and stores the fields', async () => {
    const db = new MagpieDB(`sem-${crypto.randomUUID()}`);
    dbs.push(db);
    const texts = [
      'How do I sort a list of numbers in Python?',
      'Write a haiku about autumn rain.',
      'In Python, how do I sort a list of numbers?',
      'how do I sort a list of numbers in python',
    ];
    const records = texts.map((instruction, i) =>
      pair('ds', 'run', { instruction, createdAt: 1000 + i }),
    );
    await db.records.bulkAdd(records);
    const notes: string[] = [];
    const result = await semanticPass(
      db,
      'ds',
      { method: 'semantic', threshold: 0.1, embedModel: MODEL },
      loadEmbedder,
      new AbortController().signal,
      (p) => p.note && notes.push(p.note),
    );
    const [engine] = h.state.engines;
    expect(engine?.calls).toEqual([`reload ${MODEL}`, 'unload']);
    expect(notes).toContain('Fetching param cache[1/2]: 60MB fetched.');
    // Three distinct texts after normalising (the last is the first in other case).
    expect(engine?.inputs).toEqual([{ input: texts.slice(0, 3), model: MODEL }]);
    expect(result).toMatchObject({ method: 'semantic', records: 4, clusters: 1, duplicates: 2 });

    const stored = new Map((await db.records.toArray()).map((r) => [r.instruction, r]));
    const first = records[0]!.uuid;
    expect(stored.get(texts[0]!)).toMatchObject({
      min_similar_uuid: first,
      min_neighbor_distance: 0,
      repeat_count: 2,
    });
    // Same words in another order: the bag-of-words embedding sees them as identical.
    expect(stored.get(texts[2]!)).toMatchObject({ min_similar_uuid: first, repeat_count: 2 });
    expect(stored.get(texts[1]!)).toMatchObject({
      min_similar_uuid: records[1]!.uuid,
      repeat_count: 0,
    });
  });

  it('turns a failed download into a plain error and frees the engine', async () => {
    h.state.reloadError = new Error('Failed to fetch');
    await expect(loadEmbedder(MODEL, () => undefined)).rejects.toMatchObject({
      code: 'download-failed',
    });
    expect(h.state.engines[0]?.calls).toEqual([`reload ${MODEL}`, 'unload']);
  });
});
