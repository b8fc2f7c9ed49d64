/**
 * At most one call per `everyMs`, and never a dropped last one: a call inside the window
 * schedules a trailing call at its end, so a view that waits after a burst still ends up
 * showing the latest state (a leading-only throttle left it behind for minutes).
 */
export interface Throttled {
  /** Calls now, or once the window since the last call ends. */
  (): void;
  /** Calls now (a final update) and drops a pending trailing call. */
  flush(): void;
  /** Drops a pending trailing call. */
  cancel(): void;
}

export function throttle(fn: () => void, everyMs: number): Throttled {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    timer = undefined;
    last = performance.now();
    fn();
  };
  const call = () => {
    const wait = last + everyMs - performance.now();
    if (wait <= 0 && timer === undefined) fire();
    else timer ??= setTimeout(fire, Math.max(0, wait));
  };
  const cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  return Object.assign(call, {
    flush: () => {
      cancel();
      fire();
    },
    cancel,
  });
}
