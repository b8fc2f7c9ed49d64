import { describe, expect, it } from 'vitest';
import { IMPORT_FORMATS, type ExportOptions } from '../shared/transfer-api';
import { MagpieDB } from '../store/db';
import { conversationOf } from './conversation';
import { QWEN25_SYSTEM, sessionRecords } from './fixtures/records';
import { documented, documentedWithExtras } from './schemas';
import { exportLines, importText, recordsOf, request, seededDb } from './test-helpers';

const seed = () => seededDb((ds) => sessionRecords(ds, 'run-1'));
const jsonl = (lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

describe.each(IMPORT_FORMATS)('%s', (format) => {
  it.each([
    { systemPrompt: false, text: 'edited' },
    { systemPrompt: true, text: 'original' },
  ] as Partial<ExportOptions>[])(
    'exports documented rows and imports them back to the same conversations (%o)',
    async (opts) => {
      const { db, datasetId, records } = await seed();
      const req = request(datasetId, { format, ...opts });
      const first = await exportLines(db, req);

      for (const line of first.lines) expect(documented[format].parse(line)).toEqual(line);
      const exportable =
        format === 'alpaca' ? records.filter((r) => r.conversations.length <= 3) : records;
      expect(first.lines).toHaveLength(exportable.length);
      expect(first.result.notExportable.count).toBe(records.length - exportable.length);

      const report = await importText(db, first.text, format);
      expect(report).toMatchObject({ imported: exportable.length, skipped: 0, duplicates: 0 });
      const imported = await recordsOf(db, report.datasetId!);
      const convOpts = { text: opts.text!, systemPrompt: opts.systemPrompt! };
      expect(imported.map((r) => conversationOf(r, convOpts))).toEqual(
        exportable.map((r) => conversationOf(r, convOpts)),
      );
      const again = await exportLines(db, request(report.datasetId!, { format, ...opts }));
      expect(again.lines).toEqual(
        format === 'magpie'
          ? first.lines.map((l, i) => ({ ...l, uuid: again.lines[i]!.uuid }))
          : first.lines,
      );
    },
  );

  it('with tags and generation settings, validates with the extra fields', async () => {
    const { db, datasetId } = await seed();
    const { lines } = await exportLines(
      db,
      request(datasetId, {
        format,
        tags: true,
        genConfig: true,
        systemPrompt: format !== 'magpie',
      }),
    );
    for (const line of lines) documentedWithExtras[format].parse(line);
    expect(lines[0]).toMatchObject({
      uuid: expect.any(String),
      model: 'Qwen/Qwen2.5-1.5B-Instruct',
      task_category: 'Coding & Debugging',
      review: 'kept',
      gen_input_configs: { max_tokens: 64, stop: ['<|im_end|>', '\n'] },
      gen_response_configs: {
        temperature: 0.6,
        post_query_template: '<|im_end|>\n<|im_start|>assistant\n',
      },
    });
  });
});

describe('Magpie', () => {
  it('writes the released fields in their names and order in every row, null where unknown', async () => {
    const { db, datasetId, records } = await seed();
    const { lines } = await exportLines(db, request(datasetId, { format: 'magpie' }));
    expect(Object.keys(lines[0]!)).toEqual([
      'uuid',
      'model',
      'gen_input_configs',
      'instruction',
      'response',
      'conversations',
      'task_category',
      'other_task_category',
      'task_category_generator',
      'difficulty',
      'intent',
      'knowledge',
      'difficulty_generator',
      'input_quality',
      'quality_explanation',
      'quality_generator',
      'llama_guard_2',
      'reward_model',
      'instruct_reward',
      'min_neighbor_distance',
      'repeat_count',
      'min_similar_uuid',
      'instruction_length',
      'response_length',
      'language',
    ]);
    expect(lines[0]!.gen_input_configs).toEqual({
      temperature: 1,
      top_p: 1,
      input_generator: 'Qwen/Qwen2.5-1.5B-Instruct',
      seed: records[0]!.gen_input_configs.seed,
      pre_query_template: records[0]!.gen_input_configs.pre_query_template,
    });
    // Every row has the same keys; no judge ran on record 3: its tags are null, and an
    // undetermined language is null too. Nothing is made up.
    for (const line of lines) expect(Object.keys(line)).toEqual(Object.keys(lines[0]!));
    expect(lines[3]).toMatchObject({ task_category: null, language: null });
    for (const line of lines) {
      for (const unknown of ['llama_guard_2', 'reward_model', 'instruct_reward']) {
        expect(line[unknown]).toBeNull();
      }
    }
    // The edit is exported, and the lengths are the exported text's.
    expect(lines[1]).toMatchObject({
      response: 'Sechseinhalb Minuten kochen, dann abschrecken.',
      response_length: 'Sechseinhalb Minuten kochen, dann abschrecken.'.length,
    });
  });

  it('round-trips every field into another browser’s database, uuids included', async () => {
    const { db, datasetId, records } = await seed();
    const opts = {
      format: 'magpie' as const,
      tags: true,
      genConfig: true,
      text: 'original' as const,
    };
    const { text } = await exportLines(db, request(datasetId, opts));
    const other = new MagpieDB(`other-${Date.now()}`);
    await other.datasets.add({ id: 'x', name: 'x', createdAt: 0 });
    const report = await importText(other, text, 'magpie');
    const again = await exportLines(other, request(report.datasetId!, opts));
    expect(again.text).toBe(text);
    const imported = await recordsOf(other, report.datasetId!);
    expect(imported.map((r) => r.uuid)).toEqual(records.map((r) => r.uuid));
    expect(imported.map((r) => r.review)).toEqual(records.map((r) => r.review));
  });
});

describe('the system prompt option', () => {
  it('adds the template’s default system prompt, or the conversation’s own', async () => {
    const { db, datasetId } = await seed();
    const { lines } = await exportLines(
      db,
      request(datasetId, { format: 'openai', systemPrompt: true }),
    );
    expect((lines[0]!.messages as unknown[])[0]).toEqual({
      role: 'system',
      content: QWEN25_SYSTEM,
    });
    expect((lines[4]!.messages as unknown[])[0]).toEqual({
      role: 'system',
      content: 'You are a terse math tutor.',
    });
    const alpaca = await exportLines(
      db,
      request(datasetId, { format: 'alpaca', systemPrompt: true }),
    );
    expect(alpaca.lines[0]).toEqual({
      instruction: 'How do I reverse a list in Python?',
      input: '',
      output: expect.stringContaining('xs[::-1]'),
      system: QWEN25_SYSTEM,
    });
  });
});

describe('selection', () => {
  it('exports only the records the view filter and review statuses match', async () => {
    const { db, datasetId, records } = await seed();
    const kept = await exportLines(
      db,
      request(
        datasetId,
        { format: 'sharegpt' },
        { scope: 'review', filter: { facets: { review: ['kept'] } } },
      ),
    );
    expect(kept.lines).toHaveLength(records.filter((r) => r.review === 'kept').length);
    const view = await exportLines(
      db,
      request(
        datasetId,
        { format: 'magpie' },
        { scope: 'view', filter: { q: 'python', facets: { review: ['kept', 'unreviewed'] } } },
      ),
    );
    expect(view.lines.map((l) => l.instruction)).toEqual(['How do I reverse a list in Python?']);
  });
});

describe('importing foreign files', () => {
  it('reads Alpaca input and history, OpenAI roles, and Magpie rows with the releases’ nulls', async () => {
    const db = new MagpieDB(`foreign-${Date.now()}`);
    const alpaca = await importText(
      db,
      jsonl([
        { instruction: 'Translate:', input: 'Hallo', output: 'Hello', history: [['Hi?', 'Hi!']] },
      ]),
      'alpaca',
    );
    const [a] = await recordsOf(db, alpaca.datasetId!);
    expect(a!.conversations).toEqual([
      { from: 'human', value: 'Hi?' },
      { from: 'gpt', value: 'Hi!' },
      { from: 'human', value: 'Translate:\nHallo' },
      { from: 'gpt', value: 'Hello' },
    ]);
    expect(a).toMatchObject({ model: 'unknown', review: 'unreviewed', gen_input_configs: {} });
    expect(a!.language).toEqual(expect.any(String));

    const magpie = await importText(
      db,
      jsonl([
        {
          uuid: 'released-1',
          model: 'meta-llama/Meta-Llama-3-70B-Instruct',
          gen_input_configs: {
            temperature: 1,
            top_p: 1,
            input_generator: 'm',
            seed: null,
            pre_query_template: 'p',
          },
          instruction: 'Why is the sky blue?',
          response: 'Rayleigh scattering.',
          conversations: [
            { from: 'human', value: 'Why is the sky blue?' },
            { from: 'gpt', value: 'Rayleigh scattering.' },
          ],
          task_category: 'Information seeking',
          other_task_category: ['Reasoning', 'Not a category'],
          min_similar_uuid: null,
          llama_guard_2: 'safe',
          instruct_reward: 3.1,
          language: 'EN',
        },
      ]),
      'magpie',
    );
    const [m] = await recordsOf(db, magpie.datasetId!);
    expect(m).toMatchObject({
      uuid: 'released-1',
      model: 'meta-llama/Meta-Llama-3-70B-Instruct',
      gen_input_configs: {
        temperature: 1,
        top_p: 1,
        input_generator: 'm',
        pre_query_template: 'p',
      },
      task_category: 'Information seeking',
      other_task_category: ['Reasoning'],
      language: 'EN',
    });
    expect(m).not.toHaveProperty('min_similar_uuid');
    expect(m!.gen_input_configs).not.toHaveProperty('seed');
  });
});
