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
 *
 * Given the request's token limit, the grammar also bounds free text and lists so that every
 * answer it accepts is complete within the limit: a grammar-constrained token always adds at
 * least one byte, so an answer of at most `maxTokens - 1` bytes (one token left for the end of
 * the turn) cannot be cut. Free strings and lists share the bytes the rest leaves, and a free
 * string counts 4 bytes a character (a code point in UTF-8, or a two-character escape): a real
 * model writes ~4 characters a token, so its free text is held to about a quarter of what the
 * limit would allow it, but the labels after it always come. A list of free text (no fixed
 * item size) cannot be bounded this way and stays open, as does any open value.
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
  'number ::= integer ("." [0-9]{1,15})? ([eE] [-+]? [0-9]{1,3})?',
  'boolean ::= "true" | "false"',
  'null ::= "null"',
  // Anything the schema leaves open: any JSON value.
  'value ::= object | array | string | number | boolean | null',
  'object ::= "{" ws (string ws ":" ws value (ws "," ws string ws ":" ws value)*)? ws "}"',
  'array ::= "[" ws (value (ws "," ws value)*)? ws "]"',
];

/** Bounded integer ranges this small are listed value by value. */
const MAX_LISTED = 100;

/** Longest text of the grammar's parts, in bytes. */
const WS = 1;
const INTEGER = 17;
const NUMBER = INTEGER + 16 + 5;
const CHAR_BYTES = 4;

/**
 * The longest answer a schema allows apart from its free parts, and how many free parts
 * (free strings, lists of fixed-size items) share the rest; undefined when a part is open.
 */
function measure(s: Schema): { fixed: number; free: number } | undefined {
  if (Array.isArray(s.enum)) {
    return { fixed: Math.max(...s.enum.map((v) => utf8(JSON.stringify(v)))), free: 0 };
  }
  switch (s.type) {
    case 'object': {
      const props = Object.entries((s.properties ?? {}) as Record<string, Schema>);
      if (!props.length) return undefined;
      let fixed = 2 + 2 * WS + (props.length - 1) * (1 + 2 * WS);
      let free = 0;
      for (const [key, sub] of props) {
        const m = measure(sub);
        if (!m) return undefined;
        fixed += utf8(JSON.stringify(key)) + 1 + 2 * WS + m.fixed;
        free += m.free;
      }
      return { fixed, free };
    }
    case 'array': {
      const item = s.items ? measure(s.items as Schema) : undefined;
      return item && item.free === 0 ? { fixed: 2 + 2 * WS, free: 1 } : undefined;
    }
    case 'string':
      return { fixed: 2, free: 1 };
    case 'integer': {
      const { minimum: lo, maximum: hi } = s;
      if (typeof lo === 'number' && typeof hi === 'number' && hi - lo <= MAX_LISTED) {
        return { fixed: Math.max(String(lo).length, String(hi).length), free: 0 };
      }
      return { fixed: INTEGER, free: 0 };
    }
    case 'number':
      return { fixed: NUMBER, free: 0 };
    case 'boolean':
      return { fixed: 5, free: 0 };
    default:
      return undefined;
  }
}

const utf8 = (text: string) => new TextEncoder().encode(text).length;

export function jsonGrammar(schema: Schema, maxTokens?: number): string {
  // Bytes each free part may take, when the whole answer can be held within the limit.
  const m = maxTokens === undefined ? undefined : measure(schema);
  const share =
    m && maxTokens !== undefined && m.free > 0 && maxTokens - 1 >= m.fixed
      ? Math.floor((maxTokens - 1 - m.fixed) / m.free)
      : undefined;
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
        const itemBytes = share === undefined || !s.items ? undefined : measure(s.items as Schema);
        if (itemBytes?.free === 0) {
          const sep = 1 + 2 * WS;
          const most = Math.floor((share! + sep) / (itemBytes.fixed + sep));
          if (most === 0) return rule('"[" ws "]"');
          return rule(`"[" ws (${item} (ws "," ws ${item}){0,${most - 1}})? ws "]"`);
        }
        return rule(`"[" ws (${item} (ws "," ws ${item})*)? ws "]"`);
      }
      case 'string':
        if (share === undefined) return 'string';
        return rule(`"\\"" bchar{0,${Math.floor(share / CHAR_BYTES)}} "\\""`);
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
  // Inside a bounded string: no \u escape, so a character is at most CHAR_BYTES bytes.
  const bounded =
    share === undefined ? [] : ['bchar ::= [^"\\\\\\x7F\\x00-\\x1F] | "\\\\" ["\\\\/bfnrt]'];
  return [`root ::= ${root}`, ...rules, ...bounded, ...BASE].join('\n');
}
