/**
 * What the dataset card reports about an export, gathered while the rows stream out:
 * counts and distributions, the runs and templates behind the rows, and the fields the
 * rows carried (for the card's feature list). Lengths go into growable typed arrays so the
 * median is exact without keeping the records.
 */
import type { PairRecord } from '../shared/record';
import { FILE_COLUMNS } from '../shared/record-schema';
import { extraKind, mergeKinds, type ExtraKind } from './hf-features';
import type { SkippedRecord } from '../shared/transfer-api';

/** How many skipped records the result lists by name. */
const LISTED = 20;

class Lengths {
  private values = new Uint32Array(1024);
  count = 0;

  add(n: number): void {
    if (this.count === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = n;
  }

  summary(): LengthSummary | undefined {
    if (!this.count) return undefined;
    const sorted = this.values.slice(0, this.count).sort();
    const at = (q: number) => sorted[Math.min(this.count - 1, Math.floor(q * this.count))]!;
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      min: sorted[0]!,
      median: at(0.5),
      mean: sum / this.count,
      p90: at(0.9),
      max: sorted[this.count - 1]!,
    };
  }
}

export interface LengthSummary {
  min: number;
  median: number;
  mean: number;
  p90: number;
  max: number;
}

export type Counts = Map<string, number>;

function bump(counts: Counts, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export class ExportStats {
  rows = 0;
  bytes = 0;
  readonly models: Counts = new Map();
  readonly runs: Counts = new Map();
  readonly preQueries: Counts = new Map();
  readonly categories: Counts = new Map();
  readonly qualities: Counts = new Map();
  readonly difficulties: Counts = new Map();
  readonly languages: Counts = new Map();
  readonly reviews: Counts = new Map();
  readonly turns: Counts = new Map();
  /** Top-level fields the rows carried, in first-seen order; nested ones by parent. */
  readonly fields = new Set<string>();
  readonly nested = new Map<string, Set<string>>();
  /** What each extra field (an imported file's own, undeclared) held across the rows. */
  readonly extraKinds = new Map<string, ExtraKind>();
  readonly instructionLengths = new Lengths();
  readonly responseLengths = new Lengths();
  notExportable = 0;
  readonly notExportableExamples: SkippedRecord[] = [];

  add(
    record: PairRecord,
    row: Record<string, unknown>,
    text: { instruction: string; response: string },
  ) {
    this.rows++;
    for (const key in row) {
      this.fields.add(key);
      const value = row[key];
      if (!(key in FILE_COLUMNS))
        this.extraKinds.set(key, mergeKinds(this.extraKinds.get(key), extraKind(value)));
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        let inner = this.nested.get(key);
        if (!inner) this.nested.set(key, (inner = new Set()));
        for (const k in value) inner.add(k);
      }
    }
    bump(this.models, record.model);
    bump(this.runs, record.runId);
    bump(this.preQueries, record.gen_input_configs?.pre_query_template ?? '');
    bump(this.categories, record.task_category ?? '');
    bump(this.qualities, record.input_quality ?? '');
    bump(this.difficulties, record.difficulty ?? '');
    bump(this.languages, record.language ?? '');
    bump(this.reviews, record.review);
    bump(this.turns, String(record.conversations?.filter((t) => t.from === 'human').length ?? 1));
    this.instructionLengths.add(text.instruction.length);
    this.responseLengths.add(text.response.length);
  }

  skip(record: PairRecord, reason: string): void {
    this.notExportable++;
    if (this.notExportableExamples.length < LISTED) {
      this.notExportableExamples.push({
        uuid: record.uuid,
        instruction: record.instruction.slice(0, 200),
        reason,
      });
    }
  }
}
