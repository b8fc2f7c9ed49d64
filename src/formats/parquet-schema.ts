/**
 * The Parquet schema of a batch of export rows, read from the rows themselves: strings,
 * numbers and booleans as columns, arrays as Parquet LISTs (so `datasets`, pandas and DuckDB
 * see `conversations` as a list of {from, value}), objects as groups. Every field is
 * OPTIONAL: a tag one record lacks is a null, as in the JSONL where the key is absent.
 */
import type { ParquetWriter } from 'hyparquet-writer';
import { RECORD_FIELDS, type JsonType } from '../shared/record-schema';

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

type Shape =
  | { kind: 'string' | 'boolean' | 'double' | 'null' }
  | { kind: 'list'; item: Shape }
  | { kind: 'struct'; fields: Map<string, Shape> };

function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined) return { kind: 'null' };
  if (typeof value === 'string') return { kind: 'string' };
  if (typeof value === 'boolean') return { kind: 'boolean' };
  // Every number a DOUBLE: a float field whose first rows hold whole values (top_p 1) must
  // not become an integer column that a later group's 0.9 cannot enter.
  if (typeof value === 'number') return { kind: 'double' };
  if (Array.isArray(value))
    return { kind: 'list', item: value.map(shapeOf).reduce(merge, { kind: 'null' }) };
  if (typeof value === 'object') {
    const fields = new Map<string, Shape>();
    for (const [k, v] of Object.entries(value)) fields.set(k, shapeOf(v));
    return { kind: 'struct', fields };
  }
  throw new Error(`cannot store a ${typeof value} in Parquet`);
}

/** One shape both values fit. */
function merge(a: Shape, b: Shape): Shape {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === b.kind) {
    if (a.kind === 'list' && b.kind === 'list')
      return { kind: 'list', item: merge(a.item, b.item) };
    if (a.kind === 'struct' && b.kind === 'struct') {
      const fields = new Map(a.fields);
      for (const [k, v] of b.fields) fields.set(k, merge(fields.get(k) ?? { kind: 'null' }, v));
      return { kind: 'struct', fields };
    }
    return a;
  }
  throw new Error(`a field holds both ${a.kind} and ${b.kind} values`);
}

/** A declared type as a column shape (numbers are DOUBLE, as above); undefined for app values. */
function declaredShape(type: JsonType): Shape | undefined {
  switch (type.kind) {
    case 'string':
      return { kind: 'string' };
    case 'int':
    case 'float':
      return { kind: 'double' };
    case 'bool':
      return { kind: 'boolean' };
    case 'list': {
      const item = declaredShape(type.of);
      return item && { kind: 'list', item };
    }
    case 'struct': {
      const fields = new Map<string, Shape>();
      for (const [k, f] of Object.entries(type.fields)) {
        const s = declaredShape(f.type);
        if (s) fields.set(k, s);
      }
      return { kind: 'struct', fields };
    }
    case 'app':
      return undefined;
  }
}

/**
 * The shape of every top-level field of `rows`, in the order fields first appear. A record
 * field that is null in every row seen takes its declared type (record-schema.ts), so a
 * later group that holds a value (a tag failure, a reward) still fits the file's schema.
 */
export function rowsShape(rows: Record<string, unknown>[]): Map<string, Shape> {
  let shape: Shape = { kind: 'struct', fields: new Map() };
  for (const row of rows) shape = merge(shape, shapeOf(row));
  const fields = shape.kind === 'struct' ? shape.fields : new Map<string, Shape>();
  for (const [name, s] of fields) {
    const declared = (RECORD_FIELDS as Record<string, { type: JsonType } | undefined>)[name];
    if (s.kind === 'null' && declared) fields.set(name, declaredShape(declared.type) ?? s);
  }
  return fields;
}

/** A row that brings a field the schema lacks, or a value of another type. */
export function fitsShape(row: Record<string, unknown>, fields: Map<string, Shape>): string | true {
  for (const [k, v] of Object.entries(row)) {
    const known = fields.get(k);
    if (!known) return `the field "${k}"`;
    try {
      const merged = merge(known, shapeOf(v));
      if (JSON.stringify(describe(merged)) !== JSON.stringify(describe(known)))
        return `the field "${k}" with another type`;
    } catch {
      return `the field "${k}" with another type`;
    }
  }
  return true;
}

function describe(s: Shape): unknown {
  if (s.kind === 'list') return ['list', describe(s.item)];
  if (s.kind === 'struct') return ['struct', [...s.fields].map(([k, v]) => [k, describe(v)])];
  return s.kind;
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
    case 'null': // never seen with a value: an all-null string column
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
