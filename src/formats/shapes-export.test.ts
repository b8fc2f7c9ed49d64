/**
 * Exports of the run shapes beyond one pair: preference records in TRL's conversational
 * preference format and in the Magpie authors' released DPO shape, and multi-turn
 * conversations in every record format. Every file is read back by the strict
 * pyarrow-like loader and every row held to its format's documented schema.
 */
import { describe, expect, it } from 'vitest';
import type { GeneratedRecord, PreferenceResponse } from '../shared/record';
import type { ExportFormat, ExportOptions } from '../shared/transfer-api';
import { pair } from '../test-support/fixtures';
import { loadStrict } from '../test-support/strict-jsonl';
import { QWEN25_SYSTEM, sessionRecords } from './fixtures/records';
import { documented, documentedWithExtras } from './schemas';
import { exportLines, request, seededDb } from './test-helpers';

const response = (text: string, seed: number, score?: number): PreferenceResponse => ({
  text,
  seed,
  finish: 'stop',
  ...(score === undefined ? { unscored: 'response-empty' } : { score, reason: `Scored ${score}.` }),
});

/** A preference record as a preference run stores it (its `response` is the chosen one). */
function preferenceRecord(
  base: GeneratedRecord,
  instruction: string,
  responses: PreferenceResponse[],
  chosen: number,
  rejected: number,
  over: Partial<GeneratedRecord> = {},
): GeneratedRecord {
  const best = responses[chosen]!;
  return {
    ...base,
    instruction,
    response: best.text,
    conversations: [
      { from: 'human', value: instruction },
      { from: 'gpt', value: best.text },
    ],
    instruction_length: instruction.length,
    response_length: best.text.length,
    response_score: best.score,
    preference: { responses, chosen, rejected, generator: 'judge-model' },
    ...over,
  };
}

const THREE_TURNS = [
  { from: 'human' as const, value: 'How do I bake bread at home?' },
  { from: 'gpt' as const, value: 'Mix flour, water, salt and yeast; knead; rise; bake.' },
  { from: 'human' as const, value: 'How long should the dough rise?' },
  { from: 'gpt' as const, value: 'About an hour, until doubled.' },
  { from: 'human' as const, value: 'And at what temperature do I bake it?' },
  { from: 'gpt' as const, value: '230 °C for 30 minutes.' },
];

function shapesDataset() {
  return seededDb((ds) => {
    const session = sessionRecords(ds, 'run-1');
    const qwen = session[0]!; // Qwen2.5's pre-query (its default system prompt) and tags
    const plain = (i: number) => ({ ...qwen, ...pair(ds, 'run-2'), createdAt: qwen.createdAt + i });
    const withQwen = (i: number): GeneratedRecord => ({
      ...plain(i),
      gen_input_configs: qwen.gen_input_configs,
      task_category: 'Math',
      intent: 'The user wants a number.',
    });
    return [
      ...session,
      // A scored response dropped (null score), the rest scored: chosen 9, rejected 2.
      preferenceRecord(
        withQwen(10),
        'Name a prime number larger than 10?',
        [response('', 7), response('13 is prime.', 8, 9), response('Ten.', 9, 2)],
        1,
        2,
      ),
      // The curator edited the chosen answer.
      preferenceRecord(
        withQwen(11),
        'What is the capital of France?',
        [response('Paris.', 1, 8), response('Lyon.', 2, 1)],
        0,
        1,
        { edited: { response: 'Paris, on the Seine.', at: 1 } },
      ),
      // The curator swapped the judge's choice (chosen is the one it scored lower).
      preferenceRecord(
        withQwen(12),
        'Write a haiku about rain?',
        [response('Rain on tin roofs sings.', 3, 7), response('Rain is wet.', 4, 3)],
        1,
        0,
        {
          preference: {
            responses: [response('Rain on tin roofs sings.', 3, 7), response('Rain is wet.', 4, 3)],
            chosen: 1,
            rejected: 0,
            generator: 'judge-model',
            swapped: true,
          },
        },
      ),
      {
        ...plain(13),
        instruction: THREE_TURNS[0]!.value,
        response: THREE_TURNS[1]!.value,
        conversations: THREE_TURNS,
      },
    ];
  });
}

const OPTION_SETS: Partial<ExportOptions>[] = [
  { tags: false, genConfig: false, systemPrompt: false },
  { tags: true, genConfig: false, systemPrompt: true },
  { tags: false, genConfig: true, systemPrompt: false },
  { tags: true, genConfig: true, systemPrompt: true, text: 'original' },
];

const PREFERENCE_FORMATS: ExportFormat[] = ['trl-preference', 'magpie-preference'];

describe('preference exports', () => {
  it.each(PREFERENCE_FORMATS)(
    '%s: only preference records, strict columns, documented rows',
    async (format) => {
      const { db, datasetId, records } = await shapesDataset();
      for (const options of OPTION_SETS) {
        const { text, lines, result } = await exportLines(
          db,
          request(datasetId, { format, ...options }),
        );
        expect(lines).toHaveLength(3);
        expect(result.notExportable.count).toBe(records.length - 3);
        expect(result.notExportable.examples[0]?.reason).toMatch(/not a preference record/);
        expect(() => loadStrict(text, 1), JSON.stringify(options)).not.toThrow();
        const schema =
          options.tags || options.genConfig ? documentedWithExtras[format] : documented[format];
        for (const line of lines) expect(schema.parse(line)).toEqual(line);
        expect(result.card).toContain('not preference records');
      }
    },
  );

  it('TRL: prompt, chosen and rejected as message lists; the edit and the swap apply', async () => {
    const { db, datasetId } = await shapesDataset();
    const { lines } = await exportLines(db, request(datasetId, { format: 'trl-preference' }));
    expect(lines).toEqual([
      {
        prompt: [{ role: 'user', content: 'Name a prime number larger than 10?' }],
        chosen: [{ role: 'assistant', content: '13 is prime.' }],
        rejected: [{ role: 'assistant', content: 'Ten.' }],
      },
      {
        prompt: [{ role: 'user', content: 'What is the capital of France?' }],
        chosen: [{ role: 'assistant', content: 'Paris, on the Seine.' }],
        rejected: [{ role: 'assistant', content: 'Lyon.' }],
      },
      {
        prompt: [{ role: 'user', content: 'Write a haiku about rain?' }],
        chosen: [{ role: 'assistant', content: 'Rain is wet.' }],
        rejected: [{ role: 'assistant', content: 'Rain on tin roofs sings.' }],
      },
    ]);
    const withSystem = await exportLines(
      db,
      request(datasetId, { format: 'trl-preference', systemPrompt: true, text: 'original' }),
    );
    expect(withSystem.lines[1]).toEqual({
      prompt: [
        { role: 'system', content: QWEN25_SYSTEM },
        { role: 'user', content: 'What is the capital of France?' },
      ],
      chosen: [{ role: 'assistant', content: 'Paris.' }],
      rejected: [{ role: 'assistant', content: 'Lyon.' }],
    });
  });

  it('Magpie preference: the released DPO fields, every response with its score', async () => {
    const { db, datasetId, records } = await shapesDataset();
    const { lines, text } = await exportLines(
      db,
      request(datasetId, { format: 'magpie-preference' }),
    );
    const source = records.find((r) => r.instruction === 'Name a prime number larger than 10?')!;
    expect(lines[0]).toEqual({
      uuid: source.uuid,
      instruction: 'Name a prime number larger than 10?',
      gen_input_configs: {
        temperature: 1,
        top_p: 1,
        input_generator: 'Qwen/Qwen2.5-1.5B-Instruct',
        seed: source.gen_input_configs.seed,
        pre_query_template: source.gen_input_configs.pre_query_template,
      },
      intent: 'The user wants a number.',
      knowledge: source.knowledge ?? null,
      difficulty: source.difficulty ?? null,
      input_quality: source.input_quality ?? null,
      quality_explanation: source.quality_explanation ?? null,
      task_category: 'Math',
      input_length: 35,
      responses: ['', '13 is prime.', 'Ten.'],
      gen_response_configs: { temperature: 0.6, top_p: 0.9 },
      rewards_judge: [{ score: null }, { score: 9 }, { score: 2 }],
      judge_model: 'judge-model',
      chosen: [
        { role: 'user', content: 'Name a prime number larger than 10?' },
        { role: 'assistant', content: '13 is prime.' },
      ],
      rejected: [
        { role: 'user', content: 'Name a prime number larger than 10?' },
        { role: 'assistant', content: 'Ten.' },
      ],
    });
    // Scores are floats in every row (pyarrow reads 9 as an integer, 9.0 as a double).
    expect(text.split('\n')[0]).toContain('"rewards_judge":[{"score":null},{"score":9.0},');
  });
});

describe('multi-turn exports', () => {
  const RECORD_FORMATS: ExportFormat[] = ['magpie', 'sharegpt', 'openai'];

  it.each(RECORD_FORMATS)('%s carries every turn; the file loads strictly', async (format) => {
    const { db, datasetId } = await shapesDataset();
    const { lines, text, result } = await exportLines(db, request(datasetId, { format }));
    expect(result.notExportable.count).toBe(0);
    expect(() => loadStrict(text, 1)).not.toThrow();
    const row = lines.find((l) => JSON.stringify(l).includes('And at what temperature'))!;
    if (format === 'openai') {
      expect(row.messages).toEqual(
        THREE_TURNS.map((t) => ({
          role: t.from === 'human' ? 'user' : 'assistant',
          content: t.value,
        })),
      );
    } else expect(row.conversations).toEqual(THREE_TURNS);
    // Magpie's multi-turn releases: the first turn in instruction / response, all in conversations.
    if (format === 'magpie') {
      expect(row).toMatchObject({
        instruction: THREE_TURNS[0]!.value,
        response: THREE_TURNS[1]!.value,
      });
    }
    for (const line of lines) documented[format].parse(line);
  });

  it('Alpaca reports multi-turn records as not exportable', async () => {
    const { db, datasetId } = await shapesDataset();
    const { lines, text, result } = await exportLines(db, request(datasetId, { format: 'alpaca' }));
    expect(result.notExportable.count).toBe(2); // the imported 2-turn and the 3-turn record
    expect(result.notExportable.examples.map((e) => e.instruction)).toContain(
      THREE_TURNS[0]!.value,
    );
    expect(result.notExportable.examples[0]?.reason).toMatch(/multi-turn/);
    expect(lines.some((l) => l.instruction === THREE_TURNS[0]!.value)).toBe(false);
    expect(() => loadStrict(text, 1)).not.toThrow();
  });
});
