/**
 * A file's rows as JSON text, streamed: JSON Lines split at newlines across chunk
 * boundaries (CRLF, a BOM, a last line without a newline, lines of many megabytes), or the
 * elements of one top-level JSON array (Alpaca's alpaca_data.json). The file is never read
 * into memory whole; each row keeps the line number an error message points to.
 */
export interface SourceRow {
  /** 1-based line where the row starts. */
  line: number;
  text: string;
  /** The file ended inside this row (no newline after a JSON line, no ',' or ']' after an element). */
  unterminated: boolean;
}

export type Layout = 'lines' | 'array';

/** Decoded text of a file, counting the bytes read (for progress). */
export function fileText(file: Blob, onBytes: (bytes: number) => void): ReadableStream<string> {
  let bytes = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      onBytes(bytes);
      controller.enqueue(chunk);
    },
  });
  // TextDecoderStream drops a UTF-8 BOM and joins characters split across chunks.
  return file
    .stream()
    .pipeThrough(counter)
    .pipeThrough(new TextDecoderStream() as TransformStream<Uint8Array, string>);
}

/** Rows in batches (one per chunk read), in file order. */
export async function* fileRows(
  text: ReadableStream<string>,
  layout: Layout,
): AsyncGenerator<SourceRow[]> {
  yield* layout === 'array' ? arrayElements(text) : jsonLines(text);
}

async function* chunks(stream: ReadableStream<string>): AsyncGenerator<string> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    // Stops reading the file when the consumer leaves early (a sniff, a cancelled import).
    await reader.cancel().catch(() => undefined);
  }
}

async function* jsonLines(stream: ReadableStream<string>): AsyncGenerator<SourceRow[]> {
  // A line longer than a chunk grows here; V8 joins such strings lazily (ropes).
  let carry = '';
  let line = 0;
  for await (const chunk of chunks(stream)) {
    let start = 0;
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      carry += chunk;
      continue;
    }
    const batch: SourceRow[] = [];
    while (nl >= 0) {
      const text = carry + chunk.slice(start, nl);
      carry = '';
      line++;
      batch.push({
        line,
        text: text.endsWith('\r') ? text.slice(0, -1) : text,
        unterminated: false,
      });
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    carry = chunk.slice(start);
    yield batch;
  }
  if (carry.trim()) yield [{ line: line + 1, text: carry, unterminated: true }];
}

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The elements of a top-level JSON array, each as its own JSON text: only strings and
 * nesting are tracked, and the native JSON.parse reads each element afterwards.
 */
async function* arrayElements(stream: ReadableStream<string>): AsyncGenerator<SourceRow[]> {
  let line = 1;
  let depth = 0; // 0 before '[' and after ']'
  let finished = false;
  let inString = false;
  let escaped = false;
  let open = false; // inside an element
  let elementLine = 0;
  let pieces: string[] = [];

  for await (const chunk of chunks(stream)) {
    const batch: SourceRow[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === NEWLINE) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        continue;
      }
      if (finished) {
        if (!isSpace(c)) throw new Error(`Line ${line}: text after the end of the JSON array.`);
        continue;
      }
      if (depth === 0) {
        if (c === OPEN_BRACKET) depth = 1;
        else if (!isSpace(c)) throw new Error('The file is neither JSON Lines nor a JSON array.');
        continue;
      }
      if (depth === 1 && (c === COMMA || c === CLOSE_BRACKET)) {
        if (open) {
          pieces.push(chunk.slice(start, i));
          batch.push({ line: elementLine, text: pieces.join(''), unterminated: false });
          pieces = [];
          open = false;
        }
        if (c === CLOSE_BRACKET) finished = true;
        continue;
      }
      if (depth === 1 && !open) {
        if (isSpace(c)) continue;
        open = true;
        start = i;
        elementLine = line;
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 1) depth--;
    }
    if (open) pieces.push(chunk.slice(start));
    if (batch.length) yield batch;
  }
  if (open) yield [{ line: elementLine, text: pieces.join(''), unterminated: true }];
}

/** A file holding one JSON array starts with '['; anything else is read as JSON Lines. */
export function layoutOf(firstText: string): Layout {
  const first = firstText.trimStart()[0];
  return first === '[' ? 'array' : 'lines';
}
