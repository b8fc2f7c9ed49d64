import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse';

function parse(chunks: string[]): string[] {
  const out: string[] = [];
  const parser = createSseParser((data) => out.push(data));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return out;
}

describe('createSseParser', () => {
  it('splits events and ignores comments and other fields', () => {
    const text =
      ': keep-alive\n\nevent: message\ndata: {"a":1}\n\ndata:{"b":2}\n\ndata: [DONE]\n\n';
    expect(parse([text])).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
  });

  it('joins lines cut across network chunks, with CRLF endings', () => {
    const text =
      'data: {"text":"hello"}\r\n\r\ndata: {"text":" world"}\r\n\r\ndata: [DONE]\r\n\r\n';
    const chunks = text.match(/[\s\S]{1,5}/g) ?? [];
    expect(parse(chunks)).toEqual(['{"text":"hello"}', '{"text":" world"}', '[DONE]']);
  });

  it('dispatches a last event without a trailing blank line', () => {
    expect(parse(['data: {"x":1}\n\ndata: [DONE]'])).toEqual(['{"x":1}', '[DONE]']);
  });

  it('joins multi-line data with newlines', () => {
    expect(parse(['data: a\ndata: b\n\n'])).toEqual(['a\nb']);
  });
});
