import { describe, expect, it } from 'vitest';
import { Slots } from './slots';

const tick = () => new Promise((r) => setTimeout(r, 1));

function recorder(slots: Slots) {
  const log: string[] = [];
  const call = (name: string, fail = false) =>
    slots.use(async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    });
  return { log, call };
}

describe('Slots', () => {
  it('one slot: starts each call only after the one before it ended, in order', async () => {
    const { log, call } = recorder(new Slots(1));
    const results = await Promise.allSettled([call('a'), call('b', true), call('c')]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    // A failed call reaches its own caller and does not stop the next one.
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[2]).toEqual({ status: 'fulfilled', value: 'c' });
  });

  it('two slots: two calls at once, the third starts when one of them ends', async () => {
    const { log, call } = recorder(new Slots(2));
    await Promise.allSettled([call('a', true), call('b'), call('c')]);
    expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('end a'));
    expect(log).toHaveLength(6);
  });
});
