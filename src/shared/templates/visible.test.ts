import { describe, expect, it } from 'vitest';
import { fromVisible, toVisible } from './visible';

describe('visible template text', () => {
  it('spells out newlines and reads them back', () => {
    expect(toVisible('<|im_start|>user\n')).toBe('<|im_start|>user\\n');
    expect(fromVisible('<|im_start|>user\\n')).toBe('<|im_start|>user\n');
  });

  it('round-trips text that already holds a backslash-n', () => {
    for (const s of ['a\\nb', 'x\n\\n\ty', '\\\\n', 'end\\'])
      expect(fromVisible(toVisible(s))).toBe(s);
  });
});
