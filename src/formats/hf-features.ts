/**
 * The Hugging Face `datasets` feature type of every field an export can write, and their
 * YAML for the card's header. The YAML is written by hand on purpose: it is a fixed shape,
 * and any value that is not a plain name goes out JSON-quoted, which YAML reads as the same
 * string. Record fields take their types from the field schema (shared/record-schema.ts).
 */
import { FILE_COLUMNS, type AnyField, type JsonType } from '../shared/record-schema';

export type Feature =
  | { dtype: 'string' | 'int64' | 'float64' | 'bool' }
  | { sequence: 'string' | 'int64' | 'float64' | 'bool' }
  | { list: [string, Feature][] }
  | { struct: [string, Feature][] };

const string = { dtype: 'string' } as const;

/** A declared JSON type as the Hub's feature type. */
function featureOf(type: JsonType): Feature {
  switch (type.kind) {
    case 'string':
    case 'app':
      return string;
    case 'int':
      return { dtype: 'int64' };
    case 'float':
      return { dtype: 'float64' };
    case 'bool':
      return { dtype: 'bool' };
    case 'list': {
      const inner = featureOf(type.of);
      if ('dtype' in inner) return { sequence: inner.dtype };
      return { list: 'struct' in inner ? inner.struct : [['item', inner]] };
    }
    case 'struct':
      return { struct: structFeatures(type.fields) };
  }
}

const structFeatures = (fields: Readonly<Record<string, AnyField>>): [string, Feature][] =>
  Object.entries(fields).map(([name, f]) => [name, featureOf(f.type)]);

/** What an extra field (an imported file's own) held across the rows: one feature if one kind. */
export type ExtraKind = 'null' | 'string' | 'int' | 'float' | 'bool' | 'mixed';

export function extraKind(value: unknown): ExtraKind {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'mixed';
}

export function mergeKinds(a: ExtraKind | undefined, b: ExtraKind): ExtraKind {
  if (a === undefined || a === 'null' || a === b) return b;
  if (b === 'null') return a;
  if ((a === 'int' && b === 'float') || (a === 'float' && b === 'int')) return 'float';
  return 'mixed';
}

const EXTRA_FEATURES: Record<Exclude<ExtraKind, 'mixed'>, Feature> = {
  null: string,
  string,
  int: { dtype: 'int64' },
  float: { dtype: 'float64' },
  bool: { dtype: 'bool' },
};

/**
 * Features of the fields the rows carried, in the order they were first written; undefined
 * when an extra field's values have no one feature (nested or of several kinds): the card
 * then leaves the features to the loader's own inference rather than state wrong ones.
 */
export function featuresOf(
  fields: Iterable<string>,
  nested: Map<string, Set<string>>,
  extra: (name: string) => ExtraKind,
): [string, Feature][] | undefined {
  const out: [string, Feature][] = [];
  for (const name of fields) {
    const declared = FILE_COLUMNS[name];
    if (declared?.type.kind === 'struct') {
      // A struct lists only the members rows had.
      const seen = nested.get(name) ?? new Set();
      const members = structFeatures(declared.type.fields).filter(([k]) => seen.has(k));
      out.push([name, { struct: members }]);
    } else if (declared) {
      out.push([name, featureOf(declared.type)]);
    } else {
      const kind = extra(name);
      if (kind === 'mixed') return undefined;
      out.push([name, EXTRA_FEATURES[kind]]);
    }
  }
  return out;
}

/** A YAML scalar: JSON's quoted string is valid YAML and reads back as the same text. */
export const scalar = (value: string | number): string =>
  typeof value === 'number' ? String(value) : JSON.stringify(value);

/** A field name bare, as the Hub writes it, unless YAML would read it as something else. */
const name = (text: string): string =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) && !/^(y|n|yes|no|true|false|on|off|null)$/i.test(text)
    ? text
    : scalar(text);

/** `- name: x` entries for a feature list, as the Hub writes them. */
export function featureYaml(features: [string, Feature][], indent: string): string[] {
  const lines: string[] = [];
  for (const [field, feature] of features) {
    lines.push(`${indent}- name: ${name(field)}`);
    const inner = `${indent}  `;
    if ('dtype' in feature) lines.push(`${inner}dtype: ${feature.dtype}`);
    else if ('sequence' in feature) lines.push(`${inner}sequence: ${feature.sequence}`);
    else if ('list' in feature) lines.push(`${inner}list:`, ...featureYaml(feature.list, inner));
    else lines.push(`${inner}struct:`, ...featureYaml(feature.struct, inner));
  }
  return lines;
}

/** The Hub's size buckets. */
export function sizeCategory(rows: number): string {
  const buckets: [number, string][] = [
    [1e3, 'n<1K'],
    [1e4, '1K<n<10K'],
    [1e5, '10K<n<100K'],
    [1e6, '100K<n<1M'],
    [1e7, '1M<n<10M'],
    [1e8, '10M<n<100M'],
  ];
  for (const [limit, name] of buckets) if (rows < limit) return name;
  return '100M<n<1B';
}
