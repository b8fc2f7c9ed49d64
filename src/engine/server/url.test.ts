import { describe, expect, it } from 'vitest';
import { EngineError } from '../../shared/engine';
import { normaliseBaseUrl, serverRoot } from './url';

describe('normaliseBaseUrl', () => {
  it.each([
    'http://host:8000',
    'http://host:8000/',
    'http://host:8000/v1',
    'http://host:8000/v1/',
    'http://host:8000/v1/models',
    'http://host:8000/v1/completions',
    'http://host:8000/v1/chat/completions/',
    '  http://host:8000/v1  ',
    'host:8000',
  ])('%s -> http://host:8000/v1', (input) => {
    expect(normaliseBaseUrl(input)).toBe('http://host:8000/v1');
  });

  it('keeps https and a path prefix', () => {
    expect(normaliseBaseUrl('https://gpu.example.org/llm/')).toBe('https://gpu.example.org/llm/v1');
    expect(normaliseBaseUrl('https://gpu.example.org/llm/v1')).toBe(
      'https://gpu.example.org/llm/v1',
    );
  });

  it.each(['ftp://host:8000', 'file:///tmp/x', 'ws://host:8000/v1', '', 'http://'])(
    'rejects %j with a clear message',
    (input) => {
      let error: unknown;
      try {
        normaliseBaseUrl(input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('not-openai');
      expect((error as EngineError).hint).toMatch(/\/v1|API key/);
    },
  );

  it('says which scheme was wrong', () => {
    expect(() => normaliseBaseUrl('ftp://host:8000')).toThrow(/ftp:\/\/.*http:\/\/ or https:\/\//);
  });

  it('refuses credentials in the address', () => {
    expect(() => normaliseBaseUrl('http://user:secret@host:8000')).toThrow(/user name or password/);
  });

  it('finds the server root for /props', () => {
    expect(serverRoot('http://host:8000/v1/')).toBe('http://host:8000');
    expect(serverRoot('http://host:8000')).toBe('http://host:8000');
    expect(serverRoot('https://h/llm/v1')).toBe('https://h/llm');
  });
});
