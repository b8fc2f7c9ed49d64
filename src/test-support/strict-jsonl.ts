/**
 * A JSONL loader as strict as pyarrow's JSON reader under Hugging Face `datasets`: it
 * infers one type per column from the first rows (a block), then requires every later row
 * to fit it. From the JSON text, not from parsed values, because the text is what pyarrow
 * types: `1` is int64 and `1.0` double, and a double in an int64 column fails to cast
 * ("Couldn't cast array of type struct<top_p: double> to struct<top_p: int64>").
 *
 * Within the block, int and float in one column make float (pyarrow promotes there). After
 * it: null fits any column; an int fits a float column (a safe cast); anything else that
 * differs fails, nested structs too. Every row must carry the same keys (a column missing
 * from a later block fails in `datasets`). A column that is null in every row of the block
 * takes the type of its first later value: pyarrow would fail there only after a whole
 * block (10 MB) of nulls, which a dataset card's features prevent.
 */

export type ColumnType =
  | { kind: 'null' | 'bool' | 'int' | 'float' | 'string' }
  | { kind: 'list'; of: ColumnType }
  | { kind: 'struct'; fields: Map<string, ColumnType> };

const NULL: ColumnType = { kind: 'null' };

/** Reads one JSON text as the column types of its values (a tiny recursive-descent parser). */
export function typeOfJson(text: string): ColumnType {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (why: string): never => {
    throw new Error(`bad JSON at ${i}: ${why}`);
  };
  const str = () => {
    const start = i;
    i++;
    while (text[i] !== '"') {
      if (i >= text.length) fail('unterminated string');
      i += text[i] === '\\' ? 2 : 1;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): ColumnType => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const fields = new Map<string, ColumnType>();
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'struct', fields };
      }
      for (;;) {
        ws();
        const key = str();
        ws();
        if (text[i++] !== ':') fail('expected :');
        if (fields.has(key)) fail(`duplicate key ${key}`);
        fields.set(key, value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === '}') return { kind: 'struct', fields };
        else fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      let of: ColumnType = NULL;
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'list', of };
      }
      for (;;) {
        of = unify(of, value(), true, 'item');
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === ']') return { kind: 'list', of };
        else fail('expected , or ]');
      }
    }
    if (c === '"') {
      str();
      return { kind: 'string' };
    }
    for (const [word, type] of [
      ['null', NULL],
      ['true', { kind: 'bool' }],
      ['false', { kind: 'bool' }],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return type;
      }
    }
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 40));
    if (!number) return fail('unexpected character');
    i += number[0].length;
    return { kind: number[1] || number[2] ? 'float' : 'int' };
  };
  const out = value();
  ws();
  if (i !== text.length) fail('text after the value');
  return out;
}

export function describe(type: ColumnType): string {
  if (type.kind === 'list') return `list<${describe(type.of)}>`;
  if (type.kind === 'struct')
    return `struct<${[...type.fields].map(([k, t]) => `${k}: ${describe(t)}`).join(', ')}>`;
  return type.kind;
}

/**
 * One type for two values of a column. `inBlock`: both from the first rows (int and float
 * make float); otherwise `b` is a later row's and must fit `a`.
 */
function unify(a: ColumnType, b: ColumnType, inBlock: boolean, where: string): ColumnType {
  if (b.kind === 'null') return a;
  if (a.kind === 'null') return b;
  if (a.kind === 'float' && b.kind === 'int') return a;
  if (a.kind === 'int' && b.kind === 'float' && inBlock) return b;
  if (a.kind === 'list' && b.kind === 'list')
    return { kind: 'list', of: unify(a.of, b.of, inBlock, `${where}[]`) };
  if (a.kind === 'struct' && b.kind === 'struct') {
    const keys = (t: typeof a) => [...t.fields.keys()].join(',');
    if (keys(a) !== keys(b))
      throw new Error(`${where}: keys {${keys(b)}} where the first rows have {${keys(a)}}`);
    const fields = new Map<string, ColumnType>();
    for (const [k, t] of a.fields)
      fields.set(k, unify(t, b.fields.get(k)!, inBlock, `${where}.${k}`));
    return { kind: 'struct', fields };
  }
  if (a.kind === b.kind) return a;
  throw new Error(`${where}: ${describe(b)} where the first rows have ${describe(a)}`);
}

/** The table's type (a struct of its columns), or an error naming the first row that differs. */
export function loadStrict(text: string, blockRows = 3): ColumnType {
  const lines = text.split('\n').filter((l) => l.trim());
  if (!lines.length) throw new Error('no rows');
  let table: ColumnType = NULL;
  lines.forEach((line, n) => {
    const row = typeOfJson(line);
    if (row.kind !== 'struct') throw new Error(`row ${n + 1}: not an object`);
    table = table.kind === 'null' ? row : unify(table, row, n < blockRows, `row ${n + 1}`);
  });
  return table;
}
