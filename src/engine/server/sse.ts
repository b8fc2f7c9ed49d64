/**
 * Streaming completions arrive as Server-Sent Events (`data: {...}` lines, a blank line
 * between events, `data: [DONE]` at the end). Network chunks split lines anywhere, so
 * this buffers text and hands out whole events' data.
 */
export interface SseParser {
  /** Feed decoded text as it arrives. */
  push(text: string): void;
  /** The stream ended: dispatch whatever is still buffered. */
  end(): void;
}

export function createSseParser(onData: (data: string) => void): SseParser {
  let buffer = '';
  let data: string[] = [];

  const dispatch = () => {
    if (data.length > 0) onData(data.join('\n'));
    data = [];
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return; // comment / keep-alive
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    if (field !== 'data') return; // event:, id:, retry: carry nothing we need
    const value = colon === -1 ? '' : text.slice(colon + 1);
    data.push(value.startsWith(' ') ? value.slice(1) : value);
  };

  return {
    push(text) {
      buffer += text;
      const lines = buffer.split(/\r?\n/);
      buffer = lines.pop() ?? '';
      for (const text of lines) line(text);
    },
    end() {
      if (buffer !== '') line(buffer.replace(/\r$/, ''));
      buffer = '';
      dispatch();
    },
  };
}
