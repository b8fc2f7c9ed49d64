/**
 * The record fields that travel in files besides the conversation, read from the field
 * schema (shared/record-schema.ts): which ones an export's options carry, and which values
 * are really known. Imported records may lack generation settings; those stay absent,
 * never made up.
 */
import type { PairRecord } from '../shared/record';
import { COMPUTED_FIELDS } from '../shared/record-factory';
import {
  INPUT_CONFIG_FIELDS,
  RECORD_FIELDS,
  RESPONSE_CONFIG_FIELDS,
  type AnyField,
  type AppFieldName,
  type JsonType,
  type RecordFieldName,
  type When,
} from '../shared/record-schema';
import type { ExportOptions } from '../shared/transfer-api';

/** The model of a record whose file named none. */
export const UNKNOWN_MODEL = 'unknown';

export type Carried = (when: When) => boolean;

/** Which declared fields the export options carry. */
export function carriedBy(options: Pick<ExportOptions, 'tags' | 'genConfig'>): Carried {
  return (when) =>
    when === 'always' ||
    (when === 'tags' && options.tags) ||
    (when === 'genConfig' && options.genConfig);
}

const names = <S extends Record<string, AnyField>>(fields: S) =>
  Object.keys(fields) as (keyof S & string)[];

/** Record fields a file can carry, other than those the conversation determines. */
export type FileField = Exclude<RecordFieldName, AppFieldName | (typeof COMPUTED_FIELDS)[number]>;
export const FILE_FIELDS = names(RECORD_FIELDS).filter(
  (name): name is FileField =>
    RECORD_FIELDS[name].type.kind !== 'app' &&
    (RECORD_FIELDS[name].files.magpie !== 'never' || RECORD_FIELDS[name].files.chat !== 'never') &&
    !(COMPUTED_FIELDS as readonly string[]).includes(name),
);

/** Optional fields a file can carry: the tags (and tag-like values) import copies. */
const FILE_TAG_FIELDS = FILE_FIELDS.filter((name) => RECORD_FIELDS[name].optional);

/** Fields of Magpie's format (or the chat formats' extras) the options carry, in order. */
export function fieldsFor(format: 'magpie' | 'chat', carried: Carried): RecordFieldName[] {
  return names(RECORD_FIELDS).filter((name) => carried(RECORD_FIELDS[name].files[format]));
}

const present = (value: unknown) =>
  value !== undefined && value !== null && !(typeof value === 'number' && Number.isNaN(value));

/** The named fields of `source` that hold a value, in the given order. */
export function pick<T extends object>(
  source: T | null | undefined,
  fields: readonly (keyof T & string)[],
): Partial<T> {
  const out: Record<string, unknown> = {};
  if (!source) return out as Partial<T>;
  for (const field of fields) {
    const value = (source as Record<string, unknown>)[field];
    if (present(value)) out[field] = value;
  }
  return out as Partial<T>;
}

export const INPUT_CONFIG_NAMES = Object.keys(
  INPUT_CONFIG_FIELDS,
) as (keyof typeof INPUT_CONFIG_FIELDS)[];
export const RESPONSE_CONFIG_NAMES = Object.keys(
  RESPONSE_CONFIG_FIELDS,
) as (keyof typeof RESPONSE_CONFIG_FIELDS)[];

export function knownModel(record: PairRecord): string | undefined {
  return record.model && record.model !== UNKNOWN_MODEL ? record.model : undefined;
}

/**
 * A file's value as the schema types it: names outside a field's fixed set (a task
 * category the app does not know) are not kept; undefined when nothing is left.
 */
export function schemaValue(type: JsonType, value: unknown): unknown {
  if (!present(value)) return undefined;
  if (type.kind === 'string' && type.values)
    return type.values.includes(value as string) ? value : undefined;
  if (type.kind === 'list' && Array.isArray(value)) {
    const kept = value.map((v) => schemaValue(type.of, v)).filter((v) => v !== undefined);
    return kept;
  }
  return value;
}

/** Tags the file carries win over computed ones; unknown category names are left out. */
export function copyFileTags(record: PairRecord, meta: Readonly<Record<string, unknown>>): void {
  const out = record as unknown as Record<string, unknown>;
  for (const name of FILE_TAG_FIELDS) {
    const value = schemaValue(RECORD_FIELDS[name].type, meta[name]);
    if (value !== undefined) out[name] = value;
  }
}
