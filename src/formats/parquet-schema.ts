/**
 * The Parquet schema of an export, derived from the field schema (shared/record-schema.ts):
 * each column a row carries takes its declared type, never one guessed from values, so every
 * row group fits the first whatever its values (a tag first seen late, a float that happens
 * to be whole). Strings, numbers and booleans are columns, lists Parquet LISTs (so
 * `datasets`, pandas and DuckDB see `conversations` as a list of {from, value}), structs
 * groups with the members the export's options carry. Every field is OPTIONAL: a record
 * without a value writes null, as in the JSONL.
 *
 * An imported file's extra fields (record.fileExtras) have no declared type: each is a
 * string column holding the value's JSON text. One column per field keeps their names
 * visible to pandas or DuckDB; JSON text holds whatever the file had (a number in one row,
 * an object in the next), which no typed column could, and needs no look at the values
 * before the first row group is written.
 */
import type { ParquetWriter } from 'hyparquet-writer';
import { FILE_COLUMNS, type JsonType } from '../shared/record-schema';
import type { Carried } from './record-fields';

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

export type Shape =
  | { kind: 'string' | 'boolean' | 'double' | 'json' }
  | { kind: 'list'; item: Shape }
  | { kind: 'struct'; fields: Map<string, Shape> };

/**
 * A declared type as a column shape. Every number is a DOUBLE: Hugging Face's features say
 * int64 where the schema does, and pyarrow casts; an INT64 column would need BigInt values.
 */
function declaredShape(type: JsonType, carried: Carried): Shape {
  switch (type.kind) {
    case 'string':
      return { kind: 'string' };
    case 'int':
    case 'float':
      return { kind: 'double' };
    case 'bool':
      return { kind: 'boolean' };
    case 'list':
      return { kind: 'list', item: declaredShape(type.of, carried) };
    case 'struct': {
      const fields = new Map<string, Shape>();
      for (const [k, f] of Object.entries(type.fields))
        if (carried(f.files.magpie)) fields.set(k, declaredShape(f.type, carried));
      return { kind: 'struct', fields };
    }
    case 'app':
      return { kind: 'json' };
  }
}

/** The columns of rows with these keys (every row of an export has the same), in order. */
export function columnsOf(keys: Iterable<string>, carried: Carried): Map<string, Shape> {
  const columns = new Map<string, Shape>();
  for (const name of keys) {
    const declared = FILE_COLUMNS[name];
    columns.set(name, declared ? declaredShape(declared.type, carried) : { kind: 'json' });
  }
  return columns;
}

/** A column's values as the writer takes them: extra fields as their JSON text. */
export function columnValues(shape: Shape, values: unknown[]): unknown[] {
  if (shape.kind !== 'json') return values.map((v) => v ?? null);
  return values.map((v) => (v === undefined || v === null ? null : JSON.stringify(v)));
}

/** Flattened Parquet schema (depth-first, as the file footer lists it). */
export function parquetSchema(fields: Map<string, Shape>): SchemaElement[] {
  const out: SchemaElement[] = [{ name: 'root', num_children: fields.size }];
  for (const [name, shape] of fields) push(out, name, shape);
  return out;
}

function push(out: SchemaElement[], name: string, shape: Shape) {
  const repetition_type = 'OPTIONAL';
  switch (shape.kind) {
    case 'string':
    case 'json':
      out.push({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type });
      return;
    case 'boolean':
      out.push({ name, type: 'BOOLEAN', repetition_type });
      return;
    case 'double':
      out.push({ name, type: 'DOUBLE', repetition_type });
      return;
    case 'list':
      out.push({ name, repetition_type, converted_type: 'LIST', num_children: 1 });
      out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
      push(out, 'element', shape.item);
      return;
    case 'struct':
      out.push({ name, repetition_type, num_children: shape.fields.size });
      for (const [k, v] of shape.fields) push(out, k, v);
      return;
  }
}
