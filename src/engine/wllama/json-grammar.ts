/**
 * A JSON schema as a GBNF grammar, which llama.cpp's sampler enforces token by token.
 *
 * Why not llama.cpp's own conversion (`response_format: json_schema`)? In a chat completion
 * llama.cpp b12211 feeds the rendered generation prompt (`<|im_start|>assistant\n`) through
 * the schema's grammar before sampling, and with the test model that fails at sampler set-up
 * ("Failed to initialize samplers"); a grammar given as such is not fed it, and loads. The
 * schemas the app sends are small (the judge's, the response score, "describe your data"), so
 * this covers what they use: objects (every declared property, in order), strings (free or an
 * enum), integers (bounded or not), numbers, booleans and arrays. Whitespace between tokens is
 * at most one space or newline: a model cannot spend its token budget on indentation.
 */

type Schema = Record<string, unknown>;

/** A GBNF string literal. */
const literal = (text: string) =>
  `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;

const BASE = [
  'ws ::= [ \\n]?',
  'string ::= "\\"" char* "\\""',
  'char ::= [^"\\\\\\x7F\\x00-\\x1F] | "\\\\" (["\\\\/bfnrt] | "u" [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F])',
  'integer ::= "-"? ("0" | [1-9] [0-9]{0,15})',
  'number ::= integer ("." [0-9]+)? ([eE] [-+]? [0-9]+)?',
  'boolean ::= "true" | "false"',
  'null ::= "null"',
  // Anything the schema leaves open: any JSON value.
  'value ::= object | array | string | number | boolean | null',
  'object ::= "{" ws (string ws ":" ws value (ws "," ws string ws ":" ws value)*)? ws "}"',
  'array ::= "[" ws (value (ws "," ws value)*)? ws "]"',
];

/** Bounded integer ranges this small are listed value by value. */
const MAX_LISTED = 100;

export function jsonGrammar(schema: Schema): string {
  const rules: string[] = [];
  let next = 0;
  const rule = (body: string) => {
    const name = `r${next++}`;
    rules.push(`${name} ::= ${body}`);
    return name;
  };

  const expr = (s: Schema): string => {
    if (Array.isArray(s.enum)) {
      return `(${s.enum.map((v) => literal(JSON.stringify(v))).join(' | ')})`;
    }
    switch (s.type) {
      case 'object': {
        const props = Object.entries((s.properties ?? {}) as Record<string, Schema>);
        if (!props.length) return 'object';
        const members = props.map(
          ([key, sub]) => `${literal(JSON.stringify(key))} ws ":" ws ${expr(sub)}`,
        );
        return rule(`"{" ws ${members.join(' ws "," ws ')} ws "}"`);
      }
      case 'array': {
        const item = s.items ? expr(s.items as Schema) : 'value';
        return rule(`"[" ws (${item} (ws "," ws ${item})*)? ws "]"`);
      }
      case 'string':
        return 'string';
      case 'integer': {
        const { minimum: lo, maximum: hi } = s;
        if (typeof lo === 'number' && typeof hi === 'number' && hi - lo <= MAX_LISTED) {
          const values = Array.from({ length: hi - lo + 1 }, (_, i) => literal(String(lo + i)));
          return `(${values.join(' | ')})`;
        }
        return 'integer';
      }
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      default:
        return 'value';
    }
  };

  const root = expr(schema);
  return [`root ::= ${root}`, ...rules, ...BASE].join('\n');
}
