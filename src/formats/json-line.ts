/**
 * A row as one JSON line, each value written as its declared JSON type. JSON.stringify
 * writes the float 1.0 as `1`, which pyarrow reads as an integer: a file whose first rows
 * say `top_p: 1` and later ones `top_p: 0.9` fails to load with Hugging Face `datasets`.
 * Float fields are therefore written with a decimal point (`1.0`) in every row.
 */
import type { AnyField, JsonType } from '../shared/record-schema';

/** A finite float with a decimal point or exponent, so every reader takes it as a float. */
function floatText(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

export function valueJson(value: unknown, type: JsonType | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (!type) return JSON.stringify(value);
  switch (type.kind) {
    case 'float':
      return typeof value === 'number' ? floatText(value) : JSON.stringify(value);
    case 'list':
      return Array.isArray(value)
        ? `[${value.map((v) => valueJson(v, type.of)).join(',')}]`
        : JSON.stringify(value);
    case 'struct':
      return objectJson(value as Record<string, unknown>, type.fields);
    default:
      return JSON.stringify(value);
  }
}

/** An object's own keys in their order, each value by its declared type (undeclared: as is). */
export function objectJson(
  value: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, AnyField>>,
): string {
  const parts: string[] = [];
  for (const key in value)
    parts.push(`${JSON.stringify(key)}:${valueJson(value[key], fields[key]?.type)}`);
  return `{${parts.join(',')}}`;
}
