/**
 * A row as one JSON line, each value written as its declared JSON type. JSON.stringify
 * writes the float 1.0 as `1`, which pyarrow reads as an integer: a file whose first rows
 * say `top_p: 1` and later ones `top_p: 0.9` fails to load with Hugging Face `datasets`.
 * Float fields are therefore written with a decimal point (`1.0`) in every row.
 *
 * An export writes every row through here, so the line is built by appending to one string
 * (no array of parts per object, no template per key) and a text that repeats within a row
 * (a Magpie row holds its instruction and response again in `conversations`) is escaped
 * once.
 */
import type { AnyField, JsonType } from '../shared/record-schema';

/**
 * A finite float with a decimal point or exponent, so every reader takes it as a float.
 * Integers from 1e21 up print with an exponent already.
 */
function floatText(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? `${value}.0` : String(value);
}

/** `"key":` for each key seen: a row's keys are the same few dozen in every row. */
const keyTexts = new Map<string, string>();
function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    text = `${JSON.stringify(key)}:`;
    keyTexts.set(key, text);
  }
  return text;
}

/**
 * The last two long strings written and their JSON: a Magpie row's conversation turns are
 * the same strings as its instruction and response. Short strings are cheaper to escape
 * than to compare.
 */
const REMEMBERED = 64;
let lastText = '';
let lastJson = '""';
let priorText = '';
let priorJson = '""';
function stringJson(text: string): string {
  if (text.length < REMEMBERED) return JSON.stringify(text);
  if (text === lastText) return lastJson;
  if (text === priorText) return priorJson;
  const json = JSON.stringify(text);
  priorText = lastText;
  priorJson = lastJson;
  lastText = text;
  lastJson = json;
  return json;
}

export function valueJson(value: unknown, type: JsonType | undefined): string {
  if (value === undefined || value === null) return 'null';
  // A string is written as itself whatever its declared type (as JSON.stringify would).
  if (typeof value === 'string' && type?.kind !== 'struct') return stringJson(value);
  if (!type) return JSON.stringify(value);
  switch (type.kind) {
    case 'float':
      return typeof value === 'number' ? floatText(value) : JSON.stringify(value);
    case 'list': {
      if (!Array.isArray(value)) return JSON.stringify(value);
      let out = '[';
      for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + valueJson(value[i], type.of);
      return `${out}]`;
    }
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
  let out = '{';
  let first = true;
  for (const key in value) {
    out += (first ? '' : ',') + keyText(key) + valueJson(value[key], fields[key]?.type);
    first = false;
  }
  return `${out}}`;
}
