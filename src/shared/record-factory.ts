/**
 * The one place a record is made, by the generation pipeline and by import alike: the
 * fields that follow from the conversation (instruction, response, their lengths) are
 * computed here, so no maker can let them disagree.
 */
import type { GeneratedRecord, ImportedRecord, RecordTags, ReviewStatus, Turn } from './record';

/** Where a record goes and when it was made. */
export interface RecordPlace {
  uuid: string;
  datasetId: string;
  runId: string;
  createdAt: number;
}

/** What a generating engine knows about a pair it made. */
export type GeneratedOrigin = Pick<
  GeneratedRecord,
  'engine' | 'model' | 'gen_input_configs' | 'gen_response_configs' | 'finish' | 'usage'
> & {
  /** The instruction as the model wrote it, before cleaning. */
  instructionRaw: string;
};

/** What a file says about a pair: the model and settings it names, nothing more. */
export type ImportedOrigin = Pick<
  ImportedRecord,
  'engine' | 'model' | 'gen_input_configs' | 'gen_response_configs'
>;

/** Tags known when the record is made, and its review status (unreviewed when not given). */
export type InitialTags = RecordTags & { review?: ReviewStatus };

const UNKNOWN_FINISH = { instruction: 'unknown', response: 'unknown' } as const;

/** The first user turn and the first reply: the pair cheap tags and duplicate checks read. */
export function pairOfTurns(turns: readonly Turn[]): { instruction: string; response: string } {
  return {
    instruction: turns.find((t) => t.from === 'human')?.value ?? '',
    response: turns.find((t) => t.from === 'gpt')?.value ?? '',
  };
}

export function newRecord(
  place: RecordPlace,
  origin: GeneratedOrigin,
  turns: Turn[],
  tags?: InitialTags,
): GeneratedRecord;
export function newRecord(
  place: RecordPlace,
  origin: ImportedOrigin,
  turns: Turn[],
  tags?: InitialTags,
): ImportedRecord;
export function newRecord(
  place: RecordPlace,
  origin: GeneratedOrigin | ImportedOrigin,
  turns: Turn[],
  tags: InitialTags = {},
): GeneratedRecord | ImportedRecord {
  const { instruction, response } = pairOfTurns(turns);
  const common = {
    ...place,
    instruction,
    response,
    conversations: turns,
    instruction_length: instruction.length,
    response_length: response.length,
    ...tags,
    review: tags.review ?? 'unreviewed',
  };
  if (origin.engine === 'unknown') {
    // The text as it arrived: the file is the earliest version the app knows.
    return { ...common, ...origin, instructionRaw: instruction, finish: { ...UNKNOWN_FINISH } };
  }
  return { ...common, ...origin };
}

/** Fields the factory computes from the conversation: no maker and no file sets them. */
export const COMPUTED_FIELDS = [
  'instruction',
  'response',
  'conversations',
  'instruction_length',
  'response_length',
] as const;
