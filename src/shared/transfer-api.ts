/**
 * What the transfer worker (streaming export and import of JSONL) offers the page, over
 * Comlink. The page imports only these types, never the worker's modules; the jobs run in
 * the worker because they parse, format and scan up to hundreds of thousands of records.
 */
import type { ViewFilter } from './filter';
import type { ReviewStatus } from './record';
import type { Outcome } from './outcome';

/** Formats a file of records can be read from (and written to). */
export const IMPORT_FORMATS = ['magpie', 'sharegpt', 'openai', 'alpaca'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Formats a dataset can be written as: the record formats, and two of preference records only. */
export const EXPORT_FORMATS = [...IMPORT_FORMATS, 'trl-preference', 'magpie-preference'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  magpie: 'Magpie (released datasets’ fields)',
  sharegpt: 'ShareGPT (conversations: from / value)',
  openai: 'OpenAI / TRL messages (role / content)',
  alpaca: 'Alpaca (instruction / input / output)',
  'trl-preference': 'TRL preference (prompt / chosen / rejected messages)',
  'magpie-preference': 'Magpie preference (released DPO sets’ fields)',
};

export const FORMAT_NAMES: Record<ExportFormat, string> = {
  magpie: 'Magpie',
  sharegpt: 'ShareGPT',
  openai: 'OpenAI messages',
  alpaca: 'Alpaca',
  'trl-preference': 'TRL preference',
  'magpie-preference': 'Magpie preference',
};

export interface ExportOptions {
  format: ExportFormat;
  /** Add the record's tags (and uuid, review status) as extra fields. */
  tags: boolean;
  /** Add model and generation settings (gen_input_configs, gen_response_configs). */
  genConfig: boolean;
  /** Add the system prompt the pre-query template carried (or the conversation's own). */
  systemPrompt: boolean;
  /** The curator's edits where there are some, or the model's original text. */
  text: 'edited' | 'original';
  /** The file: JSON Lines (default) or Parquet with the same rows (what the Hub stores). */
  file?: ExportFile;
}

export type ExportFile = 'jsonl' | 'parquet';

/** Which records go out, and how the card describes that choice. */
export interface ExportSelection {
  filter: ViewFilter;
  /** 'view': the explorer's filter (with review statuses); 'review': review statuses only; 'all'. */
  scope: 'view' | 'review' | 'all';
}

/** The filter an export applies: nothing for the whole dataset. */
export function selectionFilter(selection: ExportSelection): ViewFilter {
  return selection.scope === 'all' ? {} : selection.filter;
}

export interface ExportRequest {
  datasetId: string;
  selection: ExportSelection;
  options: ExportOptions;
  /** The data file's name, as the card's data_files entry names it. */
  fileName: string;
}

/** Where the worker writes: a file the user picked (streams to disk) or a Blob built from parts. */
export type ExportTarget = { kind: 'file'; handle: FileSystemFileHandle } | { kind: 'blob' };

export interface ExportProgress {
  /** Records read from the dataset so far, of `total`. */
  read: number;
  total: number;
  written: number;
  bytes: number;
}

export interface SkippedRecord {
  uuid: string;
  instruction: string;
  reason: string;
}

export interface ExportResult {
  cancelled: boolean;
  rows: number;
  bytes: number;
  seconds: number;
  /** Matching records the format cannot hold (multi-turn as Alpaca), first ones listed. */
  notExportable: { count: number; examples: SkippedRecord[] };
  /** README.md: Hugging Face YAML header and the card's body. */
  card: string;
  /** Set when the target was 'blob'. */
  blob?: Blob;
}

export interface SelectionCount {
  total: number;
  matching: number;
  /** Matching records with more than one user turn (Alpaca cannot hold them). */
  multiTurn: number;
}

/** A look at a file's first valid rows: the format they have and what they hold. */
export interface SniffResult {
  fileName: string;
  size: number;
  /** 'array' for a .json file holding one JSON array, 'lines' for JSON Lines. */
  layout: 'lines' | 'array';
  /** The format most sample rows match; undefined when none matches. */
  detected?: ImportFormat;
  /** How many of the sampled rows each format accepts. */
  matches: Record<ImportFormat, number>;
  sampled: number;
  /** The first sampled row, as the detected format reads it. */
  preview?: { instruction: string; response: string; turns: number };
}

export type ImportTarget = { kind: 'new'; name: string } | { kind: 'existing'; datasetId: string };

export interface ImportRequest {
  file: File;
  format: ImportFormat;
  target: ImportTarget;
}

export interface ImportProgress {
  phase: 'reading-dataset' | 'importing' | 'undoing';
  bytesRead: number;
  bytesTotal: number;
  imported: number;
  skipped: number;
  duplicates: number;
}

export interface SkippedLine {
  line: number;
  reason: string;
}

export interface ImportReport {
  cancelled: boolean;
  /** The dataset the rows went into (undefined when a new one was cancelled). */
  datasetId?: string;
  /** Every imported record carries runId `import:<importId>`. */
  importId: string;
  imported: number;
  skipped: number;
  duplicates: number;
  /** Skipped lines, first ones (the count above is complete). */
  skippedLines: SkippedLine[];
  seconds: number;
}

export interface TransferApi {
  exportDataset(
    jobId: string,
    request: ExportRequest,
    target: ExportTarget,
    onProgress: (progress: ExportProgress) => void,
  ): Promise<Outcome<ExportResult>>;
  /** Look at the first valid rows of a file and name its format. */
  sniff(file: File): Promise<Outcome<SniffResult>>;
  importFile(
    jobId: string,
    request: ImportRequest,
    onProgress: (progress: ImportProgress) => void,
  ): Promise<Outcome<ImportReport>>;
  /** Stop a job: an export leaves no file behind, an import leaves the dataset as it was. */
  cancel(jobId: string): Promise<void>;
  /** Remove what an import left when its tab closed mid-way (no lock holds it any more). */
  discardImport(importId: string): Promise<Outcome<number>>;
}

/** Runs of imported records: `import:<importId>`. */
export const IMPORT_RUN_PREFIX = 'import:';
/** Web Lock the worker holds while an import goes. */
export const IMPORT_LOCK_PREFIX = 'magpie-import:';

/** The review statuses a file may carry. */
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['unreviewed', 'kept', 'rejected'];
