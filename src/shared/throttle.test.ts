import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle';

afterEach(() => vi.useRealTimers());

describe('throttle', () => {
  it('calls at once, then once more at the end of the window with the latest state', () => {
    vi.useFakeTimers();
    let state = 0;
    const seen: number[] = [];
    const t = throttle(() => seen.push(state), 250);
    state = 1;
    t();
    for (state = 2; state <= 5; state++) t();
    expect(seen).toEqual([1]);
    state = 59;
    vi.advanceTimersByTime(250);
    expect(seen).toEqual([1, 59]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([1, 59]);
  });

  it('flush calls now and drops the pending trailing call; cancel drops it', () => {
    vi.useFakeTimers();
    const seen: string[] = [];
    let label = 'a';
    const t = throttle(() => seen.push(label), 100);
    t();
    label = 'b';
    t();
    label = 'end';
    t.flush();
    expect(seen).toEqual(['a', 'end']);
    t();
    t.cancel();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual(['a', 'end']);
  });
});
