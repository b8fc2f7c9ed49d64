import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeRecipe, readRecipe } from '../shared/run-recipe';
import { createRun } from '../store/runs';
import { settings } from '../test-support/fixtures';
import { QWEN25, sessionRecords } from './fixtures/records';
import { sizeCategory } from './hf-features';
import { exportLines, request, seededDb } from './test-helpers';

interface CardHeader {
  [key: string]: unknown;
  dataset_info: { features: { name: string; struct?: unknown }[] };
}

async function exportWithCard(format: 'magpie' | 'sharegpt', tags = false) {
  const { db, datasetId } = await seededDb(() => []);
  const run = await createRun(db, {
    datasetId,
    engine: {
      kind: 'server',
      baseUrl: 'http://gpu:8000/v1',
      model: 'Qwen/Qwen2.5-1.5B-Instruct',
      concurrency: 8,
    },
    model: 'Qwen/Qwen2.5-1.5B-Instruct',
    template: QWEN25,
    settings: settings({ seed: 7 }),
  });
  await db.records.bulkAdd(sessionRecords(datasetId, run.id));
  const out = await exportLines(
    db,
    request(
      datasetId,
      { format, tags },
      { scope: 'view', filter: { q: 'python', facets: { review: ['kept'] } } },
    ),
  );
  const [, yaml, body] = out.result.card.split(/^---$/m);
  return { ...out, header: parse(yaml!) as CardHeader, body: body! };
}

describe('the dataset card', () => {
  it('has a Hugging Face YAML header: features, rows, size, language, the data file', async () => {
    const { header, result, text } = await exportWithCard('sharegpt', true);
    expect(result.rows).toBe(1);
    expect(header).toMatchObject({
      language: ['en'],
      pretty_name: expect.stringMatching(/^Test set/),
      size_categories: ['n<1K'],
      task_categories: ['text-generation'],
      configs: [{ config_name: 'default', data_files: [{ split: 'train', path: 'data.jsonl' }] }],
      dataset_info: {
        splits: [{ name: 'train', num_examples: 1 }],
        download_size: new TextEncoder().encode(text).length,
      },
    });
    const features = header.dataset_info.features;
    expect(features[0]).toEqual({
      name: 'conversations',
      list: [
        { name: 'from', dtype: 'string' },
        { name: 'value', dtype: 'string' },
      ],
    });
    expect(features).toContainEqual({ name: 'other_task_category', sequence: 'string' });
    expect(features).toContainEqual({ name: 'response_score', dtype: 'float64' });
    // Exactly the fields the rows hold.
    expect(features.map((f) => f.name).sort()).toEqual(Object.keys(JSON.parse(text)).sort());
  });

  it('types Magpie’s nested settings as the releases do', async () => {
    const { header } = await exportWithCard('magpie');
    const features = header.dataset_info.features;
    expect(features.find((f) => f.name === 'gen_input_configs')).toEqual({
      name: 'gen_input_configs',
      struct: [
        { name: 'temperature', dtype: 'float64' },
        { name: 'top_p', dtype: 'float64' },
        { name: 'input_generator', dtype: 'string' },
        { name: 'seed', dtype: 'int64' },
        { name: 'pre_query_template', dtype: 'string' },
      ],
    });
    expect(features.map((f) => f.name)).toContain('instruction_length');
  });

  it('states the model, template, sampling, the filters and the distributions', async () => {
    const { body } = await exportWithCard('sharegpt');
    expect(body).toContain('`Qwen/Qwen2.5-1.5B-Instruct`');
    expect(body).toContain('family `qwen2.5`');
    expect(body).toContain('<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud.');
    expect(body).toContain('T 1, top_p 1, max 64 tokens, rep. penalty 1');
    expect(body).toContain('T 0.6, top_p 0.9, max 128 tokens');
    expect(body).toMatch(/\| 7 \| stop at newline, sanitised, cut responses dropped \|/);
    expect(body).toContain('the explorer’s current view');
    expect(body).toContain('search "python"');
    expect(body).toContain('review is kept');
    expect(body).toMatch(/### Task category[\s\S]*`Coding & Debugging` \| 1 \| 100.0%/);
    expect(body).toMatch(/### Input quality[\s\S]*`good` \| 1/);
    expect(body).toMatch(/### Difficulty[\s\S]*`easy` \| 1/);
    expect(body).toMatch(/### Language[\s\S]*`en` \| 1/);
    expect(body).toMatch(/\| instruction \| 34 \| 34 \| 34 \| 34 \| 34 \|/);
  });

  it('embeds the recipe of each run, which loads back as that run', async () => {
    const { body } = await exportWithCard('magpie');
    const block = /### Run recipes[\s\S]*?Run `[0-9a-f-]{8}`:\n\n(`{3,})json\n([\s\S]*?)\n\1/.exec(
      body,
    );
    expect(block).not.toBeNull();
    const read = readRecipe(block![2]!, { kind: 'server', model: 'Qwen/Qwen2.5-1.5B-Instruct' });
    expect(read).toEqual({
      ok: true,
      warnings: [],
      recipe: makeRecipe({
        engine: { kind: 'server' },
        model: 'Qwen/Qwen2.5-1.5B-Instruct',
        template: QWEN25,
        settings: settings({ seed: 7 }),
      }),
    });
    // A recipe names no server address or key: it is meant to be shared.
    expect(block![2]).not.toContain('gpu:8000');
  });

  it('buckets sizes as the Hub does', () => {
    expect([999, 1000, 9999, 10_000, 300_000, 2_000_000].map(sizeCategory)).toEqual([
      'n<1K',
      '1K<n<10K',
      '1K<n<10K',
      '10K<n<100K',
      '100K<n<1M',
      '1M<n<10M',
    ]);
  });
});
