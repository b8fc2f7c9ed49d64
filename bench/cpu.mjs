// CPU time by thread of one headless Chromium, read from Linux's /proc: what a stretch of
// a bench page cost every thread of the browser (the page's workers, the IndexedDB backend,
// the IO threads), not only the page's own. A page marks a stretch with two console lines,
//   bench-cpu: start <name>
//   bench-cpu: end <name> <count> <unit>
// and the runner prints where the CPU went, per <unit>, and the rate all of the machine's
// cores could reach if they did nothing but this work: the ceiling no reordering or extra
// thread can pass. Elsewhere than Linux nothing is read and nothing is printed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const TICKS_PER_S = 100; // USER_HZ, the unit of /proc/<pid>/task/<tid>/stat's times

const readable = existsSync('/proc/self/task');

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // a process or thread that ended meanwhile
  }
}

/** The browser's processes: the one started with this profile and its descendants. */
function browserTree(profileDir) {
  const parent = new Map();
  let root;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = read(`/proc/${pid}/stat`);
    if (!stat) continue;
    parent.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (root) continue;
    const cmd = read(`/proc/${pid}/cmdline`) ?? '';
    if (/chrom/.test(cmd) && !/--type=/.test(cmd) && cmd.includes(`--user-data-dir=${profileDir}`))
      root = pid;
  }
  if (!root) return [];
  const inTree = (pid) => {
    for (let p = pid; p && p !== '0' && p !== '1'; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  return [...parent.keys()].filter(inTree);
}

/** What a process is: Chromium rewrites a child's command line into one spaced string. */
function processKind(pid) {
  const cmd = (read(`/proc/${pid}/cmdline`) ?? '').replace(/\0/g, ' ');
  const sub = cmd.match(/--utility-sub-type=([\w.]+)/)?.[1];
  if (sub) return sub.split('.')[0].replace(/_?service$/i, '') + ' service';
  return cmd.match(/--type=([\w-]+)/)?.[1] ?? 'browser';
}

/**
 * Every thread's CPU ticks so far, by "process kind/thread name/tid". A thread that ends
 * inside a stretch takes its time with it (an undercount); the bench's own workers live on.
 */
function snapshot(pids) {
  const out = new Map();
  for (const pid of pids) {
    const kind = processKind(pid);
    let tids;
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(`${kind}/${name}/${tid}`, Number(fields[11]) + Number(fields[12]));
    }
  }
  return out;
}

/** Thread names as Chromium sets them, in words. */
function label(kind, name) {
  if (name.startsWith('DedicatedWorker')) return 'worker';
  if (name.startsWith('ThreadPool')) return `${kind} thread pool`;
  if (/IOThread|ChildIOT/.test(name)) return `${kind} IO`;
  if (kind === 'renderer' && /^(chromium|chrome)$/.test(name)) return 'page main thread';
  return `${kind} other`;
}

/**
 * Marks from one page, for a browser started with `profileDir`. `onMark(text)` takes a
 * console line and answers the line to print at a stretch's end (undefined otherwise).
 */
export function cpuMarks(profileDir) {
  if (!readable || !profileDir) return () => undefined;
  const started = new Map();
  return (text) => {
    const [verb, name, count, unit] = text.split(' ');
    if (verb === 'start') {
      const pids = browserTree(profileDir);
      started.set(name, { pids, at: Date.now(), ticks: snapshot(pids) });
      return undefined;
    }
    const from = started.get(name);
    if (verb !== 'end' || !from) return undefined;
    started.delete(name);
    const ticks = snapshot(browserTree(profileDir));
    const seconds = (Date.now() - from.at) / 1000;
    return describe(name, from.ticks, ticks, seconds, Number(count), unit);
  };
}

function describe(name, before, after, seconds, count, unit) {
  const byLabel = new Map();
  const workers = [];
  let total = 0;
  for (const [key, t] of after) {
    const spent = t - (before.get(key) ?? 0);
    if (spent <= 0) continue;
    total += spent;
    const [kind, thread] = key.split('/');
    const what = label(kind, thread);
    if (what === 'worker') workers.push(spent);
    else byLabel.set(what, (byLabel.get(what) ?? 0) + spent);
  }
  workers.sort((a, b) => b - a);
  // The busiest worker is the stretch's own (the bench's worker running the job).
  const parts = [];
  if (workers[0]) parts.push(['busiest worker (the job)', workers[0]]);
  const rest = workers.slice(1).reduce((a, b) => a + b, 0);
  if (rest) parts.push([`${workers.length - 1} other workers`, rest]);
  parts.push(...[...byLabel].sort((a, b) => b[1] - a[1]));
  // Per unit in µs, or in ms where a unit is large (a MB of export).
  const inMs = unit === 'MB';
  const per = (ticks) => ((ticks / TICKS_PER_S / count) * (inMs ? 1e3 : 1e6)).toFixed(inMs ? 1 : 0);
  const perUnit = `${inMs ? 'ms' : 'µs'} a ${unit}`;
  const rateUnit = inMs ? `${unit}/s` : `${unit}s/s`;
  const cores = availableParallelism();
  const cpuSeconds = total / TICKS_PER_S;
  const shown = parts
    .filter(([, t]) => t / total >= 0.02)
    .map(([what, t]) => `${what} ${per(t)}`)
    .join(', ');
  const ceiling = (count * cores) / cpuSeconds;
  return (
    `${name.replace(/-/g, ' ')} CPU by thread (Chromium's, from /proc): ${per(total)} ${perUnit} in all ` +
    `(${cpuSeconds.toFixed(1)} s of CPU in ${seconds.toFixed(1)} s, ${(cpuSeconds / seconds).toFixed(2)} cores busy on average): ` +
    `${shown}; this work on all ${cores} cores at once could reach at most ${Math.round(ceiling).toLocaleString('en-US')} ${rateUnit}`
  );
}
