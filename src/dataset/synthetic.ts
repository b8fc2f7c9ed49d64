/**
 * Synthetic records for the explorer's tests, browser tests and benchmark: realistic
 * lengths (instructions 50-500 characters, responses 200-4,000, some with code blocks),
 * a Zipf-distributed vocabulary large enough to stress a text index, and tags on part of
 * the data as the quality jobs would leave them. Deterministic for a given seed.
 */
import type { PairRecord } from '../shared/record';
import { DIFFICULTIES, INPUT_QUALITIES, TASK_CATEGORIES } from '../shared/record';
import { prng } from '../shared/seeded';

const COMMON =
  'the of and to a in is that for it as with be on not this are by or from at an can you your which use will if more each how when one all these also has into its than'.split(
    ' ',
  );
const SYLLABLES =
  'ka ro mi te sa lo vu ne di pa zo ri chu mon tar gel fin bra quo stel vin dor plex gra nth ion ar ex ul'.split(
    ' ',
  );

/** A vocabulary of `size` words: common English first, then pseudo-words. */
function vocabulary(size: number, rand: () => number): string[] {
  const words = [...COMMON];
  const seen = new Set(words);
  while (words.length < size) {
    const n = 1 + Math.floor(rand() * 4);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

export interface SyntheticOptions {
  datasetId: string;
  runId?: string;
  seed?: number;
  /** Distinct words drawn from (Zipf); 50,000 by default. */
  vocabulary?: number;
  /** createdAt of the first record; each next one is 1 ms later. */
  startAt?: number;
}

/** A generator of synthetic records: call it for each next record. */
export function syntheticRecords(opts: SyntheticOptions): (index: number) => PairRecord {
  const rand = prng(opts.seed ?? 1);
  const words = vocabulary(opts.vocabulary ?? 50_000, rand);
  // Zipf (s = 1) by inverse CDF over cumulative harmonic weights.
  const cdf = new Float64Array(words.length);
  let sum = 0;
  for (let i = 0; i < words.length; i++) cdf[i] = sum += 1 / (i + 1);
  const pick = () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  const sentence = (maxChars: number) => {
    let s = '';
    while (s.length < maxChars) s += (s ? ' ' : '') + pick();
    return s.charAt(0).toUpperCase() + s.slice(1);
  };
  const text = (chars: number, withCode: boolean) => {
    let out = '';
    while (out.length < chars) {
      if (withCode && out.length > chars / 3 && !out.includes('```')) {
        out += `\n\n\`\`\`python\ndef ${pick()}(${pick()}):\n    return ${pick()} + ${Math.floor(rand() * 100)}\n\`\`\`\n\n`;
      } else {
        out += `${sentence(40 + rand() * 120)}. `;
      }
    }
    return out.slice(0, chars).trimEnd();
  };
  const of = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const models = ['Qwen2.5-7B-Instruct', 'Llama-3.1-8B-Instruct', 'gemma-2-9b-it'];
  const languages = ['en', 'en', 'en', 'en', 'en', 'en', 'de', 'fr', 'es', 'zh'];
  const start = opts.startAt ?? Date.UTC(2025, 0, 1);

  return (index) => {
    const instructionLength = 50 + Math.floor(rand() ** 2 * 450);
    const responseLength = 200 + Math.floor(rand() ** 1.5 * 3800);
    const colon = rand() < 0.03;
    let instruction = text(instructionLength, false);
    instruction = colon ? `${instruction.slice(0, -1)}:` : `${instruction.slice(0, -1)}?`;
    const response = text(responseLength, rand() < 0.3);
    const model = of(models);
    const cut = rand() < 0.05;
    const judged = rand() < 0.6;
    const deduped = rand() < 0.8;
    const usage = { latencyMs: 100 + Math.floor(rand() * 900) };
    const record: PairRecord = {
      uuid: `${opts.seed ?? 1}-${index.toString(36).padStart(6, '0')}-${Math.floor(rand() * 1e9).toString(36)}`,
      datasetId: opts.datasetId,
      runId: opts.runId ?? 'synthetic-run',
      createdAt: start + index,
      engine: 'server',
      model,
      gen_input_configs: {
        temperature: 1,
        top_p: 1,
        max_tokens: 256,
        repetition_penalty: 1,
        input_generator: model,
        seed: index,
        pre_query_template: '<|im_start|>user\n',
        stop: ['<|im_end|>'],
      },
      gen_response_configs: {
        temperature: 0.6,
        top_p: 0.9,
        max_tokens: 2048,
        repetition_penalty: 1,
        seed: index,
        post_query_template: '<|im_end|>\n<|im_start|>assistant\n',
        stop: ['<|im_end|>'],
      },
      instruction,
      response,
      conversations: [
        { from: 'human', value: instruction },
        { from: 'gpt', value: response },
      ],
      instruction_length: instruction.length,
      response_length: response.length,
      instructionRaw: instruction,
      finish: { instruction: 'stop', response: cut ? 'length' : 'stop' },
      usage: { instruction: usage, response: usage },
      review: 'unreviewed',
      language: of(languages),
      incomplete: colon,
      leaked_template: false,
      response_repetition: Math.round(rand() * 100) / 1000,
    };
    if (deduped) {
      record.min_neighbor_distance = Math.round(rand() * 1000) / 1000;
      record.repeat_count = rand() < 0.1 ? 1 + Math.floor(rand() * 5) : 0;
    }
    if (judged) {
      record.task_category = of(TASK_CATEGORIES);
      record.input_quality = of(INPUT_QUALITIES);
      record.difficulty = of(DIFFICULTIES);
      record.response_score = Math.round(rand() * 100) / 10;
    }
    return record;
  };
}
