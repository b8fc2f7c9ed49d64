import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IMPORT_FORMATS, type ExportOptions, type ImportFormat } from '../shared/transfer-api';
import { loadStrict } from '../test-support/strict-jsonl';
import { sessionRecords } from './fixtures/records';
import { exportLines, importText, recordsOf, request, seededDb } from './test-helpers';

/** One file of each format, as other tools write them: what import brings into a dataset. */
const FILES: Record<ImportFormat, unknown[]> = {
  // A row as Magpie's releases have it: the authors' scores, a null min_similar_uuid,
  // whole-number floats and a null seed.
  magpie: [
    {
      uuid: 'release-1',
      model: 'meta-llama/Meta-Llama-3-70B-Instruct',
      gen_input_configs: {
        temperature: 1,
        top_p: 1,
        input_generator: 'meta-llama/Meta-Llama-3-70B-Instruct',
        seed: null,
        pre_query_template: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n',
      },
      instruction: 'Name a prime larger than 100.',
      response: '101 is prime.',
      conversations: [
        { from: 'human', value: 'Name a prime larger than 100.' },
        { from: 'gpt', value: '101 is prime.' },
      ],
      task_category: 'Math',
      other_task_category: ['Information seeking'],
      llama_guard_2: 'safe',
      reward_model: 'sfairXC/FsfairX-LLaMA3-RM-v0.1',
      instruct_reward: 2,
      min_neighbor_distance: 0.5,
      repeat_count: 0,
      min_similar_uuid: null,
      instruction_length: 29,
      response_length: 13,
      language: 'EN',
    },
  ],
  sharegpt: [
    {
      conversations: [
        { from: 'human', value: 'Say hello in French.' },
        { from: 'gpt', value: 'Bonjour.' },
      ],
    },
  ],
  openai: [
    {
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: 'Capital of Italy?' },
        { role: 'assistant', content: 'Rome.' },
      ],
    },
  ],
  alpaca: [
    { instruction: 'Translate to German', input: 'cat', output: 'Katze', system: 'Be exact.' },
    { instruction: 'Add 2 and 3.', input: '', output: '5' },
  ],
};

/** Two judge tasks failed on one record: the raw answers as the judge wrote them. */
const TAG_FAILURE = {
  task: 'task_category, difficulty',
  raw: '=== task_category ===\n{"primary_tag": "Cooking"}\n=== difficulty ===\n{"difficulty": "hard',
  error:
    'task_category: "Cooking" is not a category; asked twice; difficulty: not JSON; asked twice',
  generator: 'Qwen/Qwen2.5-7B-Instruct',
  at: 1_764_000_000_000,
};

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Generated records (one edited), one import of each format, and an edited import. */
async function mixedDataset() {
  const seeded = await seededDb((ds) => sessionRecords(ds, 'run-1'));
  const { db, datasetId } = seeded;
  for (const format of Object.keys(FILES) as ImportFormat[])
    await importText(db, jsonl(FILES[format]), format, { kind: 'existing', datasetId });
  // Whole-number floats in the first record, fractions in later ones: what trips pyarrow.
  const [first, , third] = seeded.records;
  await db.records.update(first!.uuid, { response_score: 8 });
  await db.records.update(third!.uuid, {
    response_score: 6.5,
    'gen_input_configs.top_p': 0.95,
    tag_failure: TAG_FAILURE,
  });
  const all = await recordsOf(db, datasetId);
  const imported = all.find((r) => r.uuid === 'release-1')!;
  await db.records.update(imported.uuid, { edited: { response: '101 is a prime.', at: 1 } });
  return { ...seeded, all };
}

const OPTION_SETS: Partial<ExportOptions>[] = [
  { tags: false, genConfig: false, systemPrompt: false },
  { tags: true, genConfig: false, systemPrompt: true },
  { tags: false, genConfig: true, systemPrompt: false },
  { tags: true, genConfig: true, systemPrompt: true, text: 'original' },
];

describe('every export loads with one type per column', () => {
  it.each(IMPORT_FORMATS)('%s, with each set of options', async (format) => {
    const { db, datasetId, all } = await mixedDataset();
    expect(all.some((r) => r.engine === 'unknown')).toBe(true);
    for (const options of OPTION_SETS) {
      const { text, lines } = await exportLines(db, request(datasetId, { format, ...options }));
      expect(lines.length).toBeGreaterThan(5);
      // The strictest reading: the first row alone fixes every column's type.
      expect(() => loadStrict(text, 1), JSON.stringify(options)).not.toThrow();
    }
  });

  it('writes whole-number floats as floats, from generated and imported records alike', async () => {
    const { db, datasetId } = await mixedDataset();
    const { text, lines } = await exportLines(
      db,
      request(datasetId, { format: 'magpie', tags: true, genConfig: true }),
    );
    const release = text.split('\n').find((l) => l.includes('"release-1"'))!;
    expect(release).toContain('"temperature":1.0,"top_p":1.0');
    expect(release).toContain('"instruct_reward":2.0');
    expect(release).toContain('"min_similar_uuid":null');
    // A generated record's top_p of 1 and another's 0.9 are both floats.
    expect(text).toMatch(/"gen_response_configs":\{"temperature":0\.6,"top_p":0\.9,/);
    expect(text).toMatch(/"gen_input_configs":\{"temperature":1\.0,"top_p":1\.0,/);
    // Settings a file did not name are null, in every member the options carry.
    const shareGpt = lines.find((l) => (l.instruction as string) === 'Say hello in French.')!;
    expect(shareGpt.gen_input_configs).toEqual({
      temperature: null,
      top_p: null,
      input_generator: null,
      seed: null,
      pre_query_template: null,
      max_tokens: null,
      repetition_penalty: null,
      stop: null,
    });
    expect(shareGpt.model).toBeNull();
  });

  it('lists a language once in the card, whatever case the rows gave it', async () => {
    const { db, datasetId, all } = await mixedDataset();
    expect(all.map((r) => r.language)).toEqual(expect.arrayContaining(['EN', 'en']));
    const { result } = await exportLines(db, request(datasetId, { format: 'magpie' }));
    const header = parse(result.card.split(/^---$/m)[1]!) as { language: string[] };
    expect(header.language.filter((l) => l === 'en')).toHaveLength(1);
    expect(header.language).not.toContain('EN');
  });

  it('gives every Alpaca row the same keys, system included when asked for', async () => {
    const { db, datasetId } = await mixedDataset();
    for (const systemPrompt of [false, true]) {
      const { lines } = await exportLines(
        db,
        request(datasetId, { format: 'alpaca', systemPrompt }),
      );
      const keys = systemPrompt
        ? ['instruction', 'input', 'output', 'system']
        : ['instruction', 'input', 'output'];
      for (const line of lines) expect(Object.keys(line)).toEqual(keys);
      if (systemPrompt) {
        expect(lines.map((l) => l.system)).toContain('Be exact.');
        expect(lines.map((l) => l.system)).toContain('');
      }
    }
  });
});

describe('tag failures in exports', () => {
  it('carry the raw answer with the tags option in every format, null elsewhere, and import back', async () => {
    const { db, datasetId, all } = await mixedDataset();
    const failed = all[2]!;
    for (const format of IMPORT_FORMATS) {
      const { lines } = await exportLines(db, request(datasetId, { format, tags: true }));
      const withFailure = lines.filter((l) => l.tag_failure !== null);
      expect(withFailure, format).toHaveLength(1);
      expect(withFailure[0]!.tag_failure).toEqual(TAG_FAILURE);
      expect(lines.every((l) => 'tag_failure' in l)).toBe(true);
      const plain = await exportLines(db, request(datasetId, { format, tags: false }));
      expect(plain.lines.some((l) => 'tag_failure' in l)).toBe(false);
    }
    const { text } = await exportLines(db, request(datasetId, { format: 'magpie', tags: true }));
    const back = await importText(db, text, 'magpie');
    expect(back.skipped).toBe(0);
    const again = await recordsOf(db, back.datasetId!);
    const same = again.filter((r) => r.instruction === failed.instruction);
    expect(same.map((r) => r.tag_failure)).toEqual([TAG_FAILURE]);
    expect(again.filter((r) => r.tag_failure)).toHaveLength(1);
  });
});

describe('the strict loader', () => {
  it('fails as pyarrow does on an int column that later holds a float', () => {
    const rows = [{ c: { top_p: 1 } }, { c: { top_p: 1 } }, { c: { top_p: 0.9 } }];
    expect(() => loadStrict(jsonl(rows), 2)).toThrow(
      'row 3.c.top_p: float where the first rows have int',
    );
    // Within the first rows, int and float make float; a later int fits it.
    expect(() => loadStrict(jsonl([{ a: 1 }, { a: 0.5 }, { a: 2 }]), 2)).not.toThrow();
  });

  it('fails on a key only some rows have, and on a type that changes', () => {
    expect(() => loadStrict(jsonl([{ a: 'x' }, { a: 'y', system: 'z' }]))).toThrow(
      'keys {a,system} where the first rows have {a}',
    );
    expect(() => loadStrict(jsonl([{ a: 'x' }, { a: 1 }]))).toThrow(
      'row 2.a: int where the first rows have string',
    );
    expect(() => loadStrict('{"a":[{"b":1}]}\n{"a":[{"b":"x"}]}\n')).toThrow('row 2.a[].b');
  });
});
