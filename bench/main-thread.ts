// The page's main thread while a benchmark's work runs elsewhere (a worker): every page
// that says how responsive the page stayed measures it the same way.

/**
 * The page's main thread while something runs: the longest gap between 16 ms timer ticks
 * (what a person feels), and the tasks the browser saw the page itself run for 50 ms or
 * more (Long Tasks API), with the scripts a long animation frame ran (its attribution). A
 * gap with no long task of the page in it is the machine not running the page, not work of ours.
 */
export function watchMainThread() {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last - 16);
    last = now;
  }, 16);
  const tasks: number[] = [];
  const scripts = new Map<string, number>();
  const longTasks = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push(e.duration);
  });
  longTasks.observe({ type: 'longtask', buffered: false });
  const frames = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & {
      scripts?: { sourceFunctionName?: string; invoker?: string; duration: number }[];
    })[])
      for (const sc of e.scripts ?? []) {
        const name = sc.sourceFunctionName || sc.invoker || 'script';
        scripts.set(name, Math.max(scripts.get(name) ?? 0, sc.duration));
      }
  });
  frames.observe({ type: 'long-animation-frame', buffered: false });
  return () => {
    clearInterval(timer);
    longTasks.disconnect();
    frames.disconnect();
    tasks.sort((a, b) => b - a);
    const top = [...scripts].sort((a, b) => b[1] - a[1]).slice(0, 3);
    return {
      stallMs,
      summary:
        `longest task of the page ${tasks.length ? `${tasks[0]!.toFixed(0)} ms` : 'none over 50 ms'} (${tasks.length} over 50 ms)` +
        (top.length
          ? `; longest scripts in slow frames: ${top.map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ')}`
          : ''),
    };
  };
}

/** `work` run under watchMainThread: its value, the longest stall and the summary. */
export async function watched<T>(
  work: () => Promise<T>,
): Promise<{ value: T; stallMs: number; summary: string }> {
  const stop = watchMainThread();
  const value = await work().catch((e: unknown) => {
    stop();
    throw e;
  });
  return { value, ...stop() };
}
