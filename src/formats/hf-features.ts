/**
 * The Hugging Face `datasets` feature type of every field an export can write, and their
 * YAML for the card's header. The YAML is written by hand on purpose: it is a fixed shape,
 * and any value that is not a plain name goes out JSON-quoted, which YAML reads as the same
 * string.
 */

export type Feature =
  | { dtype: 'string' | 'int64' | 'float64' | 'bool' }
  | { sequence: 'string' }
  | { list: [string, Feature][] }
  | { struct: [string, Feature][] };

const string = { dtype: 'string' } as const;
const int = { dtype: 'int64' } as const;
const float = { dtype: 'float64' } as const;
const bool = { dtype: 'bool' } as const;
const strings = { sequence: 'string' } as const;

/** Nested fields in the order they are written; a struct lists only the ones rows had. */
const NESTED: Record<string, [string, Feature][]> = {
  gen_input_configs: [
    ['temperature', float],
    ['top_p', float],
    ['input_generator', string],
    ['seed', int],
    ['pre_query_template', string],
    ['max_tokens', int],
    ['repetition_penalty', float],
    ['stop', strings],
  ],
  gen_response_configs: [
    ['temperature', float],
    ['top_p', float],
    ['max_tokens', int],
    ['repetition_penalty', float],
    ['seed', int],
    ['post_query_template', string],
    ['stop', strings],
  ],
};

const FIELDS: Record<string, Feature> = {
  uuid: string,
  model: string,
  instruction: string,
  response: string,
  input: string,
  output: string,
  system: string,
  conversations: {
    list: [
      ['from', string],
      ['value', string],
    ],
  },
  messages: {
    list: [
      ['role', string],
      ['content', string],
    ],
  },
  task_category: string,
  other_task_category: strings,
  task_category_generator: string,
  difficulty: string,
  intent: string,
  knowledge: string,
  difficulty_generator: string,
  input_quality: string,
  quality_explanation: string,
  quality_generator: string,
  min_neighbor_distance: float,
  repeat_count: int,
  min_similar_uuid: string,
  instruction_length: int,
  response_length: int,
  language: string,
  review: string,
  response_score: float,
  response_score_reason: string,
  response_score_generator: string,
  incomplete: bool,
  leaked_template: bool,
  response_repetition: float,
};

/** Features of the fields the rows carried, in the order they were first written. */
export function featuresOf(
  fields: Iterable<string>,
  nested: Map<string, Set<string>>,
): [string, Feature][] {
  const out: [string, Feature][] = [];
  for (const name of fields) {
    const inner = NESTED[name];
    if (inner) {
      const seen = nested.get(name) ?? new Set();
      out.push([name, { struct: inner.filter(([k]) => seen.has(k)) }]);
    } else {
      const feature = FIELDS[name];
      if (feature) out.push([name, feature]);
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
