/** The semantic method at WebLLM's boundary (test-support/fake-webllm-embedder.ts). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MagpieDB } from '../../store/db';
import { pair } from '../../test-support/fixtures';
import { loadEmbedder } from './embedder';
import { semanticPass } from './semantic-dedup';
import { state } from '../../test-support/fake-webllm-embedder';
import { allRecords } from '../../test-support/stored';

vi.mock('@mlc-ai/web-llm', async () => ({
  MLCEngine: (await import('../../test-support/fake-webllm-embedder')).FakeMLCEngine,
}));

const dbs: MagpieDB[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
  state.engines.length = 0;
  state.reloadError = undefined;
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
    const [engine] = state.engines;
    expect(engine?.calls).toEqual([`reload ${MODEL}`, 'unload']);
    expect(notes).toContain('Fetching param cache[1/2]: 60MB fetched.');
    // Three distinct texts after normalising (the last is the first in other case).
    expect(engine?.inputs).toEqual([{ input: texts.slice(0, 3), model: MODEL }]);
    expect(result).toMatchObject({ method: 'semantic', records: 4, clusters: 1, duplicates: 2 });

    const stored = new Map((await allRecords(db)).map((r) => [r.instruction, r]));
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
    state.reloadError = new Error('Failed to fetch');
    await expect(loadEmbedder(MODEL, () => undefined)).rejects.toMatchObject({
      code: 'download-failed',
    });
    expect(state.engines[0]?.calls).toEqual([`reload ${MODEL}`, 'unload']);
  });
});
