/**
 * How much CPU other processes took while the bench measured (Linux /proc only; elsewhere every
 * sample is null). Other engineers' builds and tests on the same 2 cores make timings noisy; this
 * lets the report say so and lets a bench compare quiet rounds with all rounds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** Busy jiffies of the whole machine (all cores). */
function machineBusy() {
  const f = read('/proc/stat').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!f || f.length < 8) return null;
  const [user, nice, system, , , irq, softirq, steal] = f;
  return user + nice + system + irq + softirq + steal;
}

/** utime + stime jiffies of one process (0 if it is gone). */
function procTime(pid) {
  const stat = read(`/proc/${pid}/stat`);
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return rest.length > 13 ? Number(rest[11]) + Number(rest[12]) : 0;
}

/** The process types measure 7 splits browser CPU into (see `kindOf`). */
export const PROCESS_TYPES = ['extension', 'browser', 'network', 'page', 'other'];

/**
 * What a browser process is, from its command line (/proc/<pid>/cmdline: NUL-separated for the
 * browser process, one space-separated string for its children, which rewrite their title):
 * 'browser' (no --type), 'extensionRenderer' (a renderer with --extension-process: extension pages
 * and service workers), 'network' (the utility process running network.mojom.NetworkService),
 * 'page' (any other renderer but the browser's own WebUI, --top-chrome-webui), or 'other' (GPU,
 * storage service, zygotes, WebUI renderers).
 */
function kindOf(cmdline) {
  const args = cmdline.split(/[\0 ]/);
  const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length) ?? null;
  if (type === null) return 'browser';
  if (type === 'renderer')
    return args.includes('--extension-process')
      ? 'extensionRenderer'
      : args.includes('--top-chrome-webui')
        ? 'other'
        : 'page';
  if (type === 'utility' && args.includes('--utility-sub-type=network.mojom.NetworkService')) return 'network';
  return 'other';
}

/**
 * CPU (ms) each process type used between two `processes()` snapshots: per process, the time it
 * gained (all of it for a process started in between; a process that exited in between is
 * missed). `extensionPid` is the one extension renderer booked as 'extension'; other extension
 * renderers go to 'other'. With `extensionPid` null every extension renderer is 'extension'.
 * @param {Map<string, { kind: string, ms: number }>} from
 * @param {Map<string, { kind: string, ms: number }>} to
 * @param {string | null} extensionPid
 * @returns {Record<string, number>} keyed by PROCESS_TYPES
 */
export function cpuByType(from, to, extensionPid) {
  const out = Object.fromEntries(PROCESS_TYPES.map((t) => [t, 0]));
  for (const [pid, p] of to) {
    const gained = Math.max(0, p.ms - (from.get(pid)?.ms ?? 0));
    const type =
      p.kind !== 'extensionRenderer' ? p.kind : extensionPid === null || pid === extensionPid ? 'extension' : 'other';
    out[type] += gained;
  }
  return out;
}

/**
 * @param {string} marker a string in the command line of every browser process of ours (the user-data dir)
 */
export function createCpuMonitor(marker) {
  const browserPids = () => {
    try {
      return readdirSync('/proc').filter((d) => /^\d+$/.test(d) && read(`/proc/${d}/cmdline`).includes(marker));
    } catch {
      return [];
    }
  };
  const pids = () => [String(process.pid), ...browserPids()];
  const snapshot = () => {
    const busy = machineBusy();
    if (busy === null) return null;
    let ours = 0;
    for (const pid of pids()) ours += procTime(pid);
    return { busy, ours, at: Date.now() };
  };
  return {
    start: snapshot,
    /** CPU time (ms, 10 ms ticks) used so far by the browser's processes (not by Node or the mock); null off Linux. */
    browserCpuMs() {
      if (machineBusy() === null) return null;
      return browserPids().reduce((a, pid) => a + procTime(pid), 0) * 10;
    },
    /**
     * Per process of the browser: pid → { kind (see kindOf), ms: CPU time so far (10 ms ticks) };
     * null off Linux. `total` sums them as `browserCpuMs` does.
     */
    processes() {
      if (machineBusy() === null) return null;
      const map = new Map();
      for (const pid of browserPids())
        map.set(pid, { kind: kindOf(read(`/proc/${pid}/cmdline`)), ms: procTime(pid) * 10 });
      return map;
    },
    /**
     * Which extension renderer runs `work` (e.g. a busy loop in a service worker): the one that
     * gained the most CPU while it ran. Returns { pid, ms } (ms: what it gained) or null.
     * @param {() => Promise<unknown>} work
     */
    async extensionRendererRunning(work) {
      const before = this.processes();
      await work();
      const after = this.processes();
      if (!before || !after) return null;
      let best = null;
      for (const [pid, p] of after) {
        if (p.kind !== 'extensionRenderer') continue;
        const gained = p.ms - (before.get(pid)?.ms ?? 0);
        if (!best || gained > best.ms) best = { pid, ms: gained };
      }
      return best;
    },
    /** Share of the machine's capacity (0..1) used by other processes since `from`. */
    foreignShare(from) {
      const to = snapshot();
      if (!from || !to) return null;
      const hz = 100; // USER_HZ on Linux
      const capacity = ((to.at - from.at) / 1000) * hz * cpus().length;
      if (capacity <= 0) return null;
      // Processes of ours that exited during the interval are missed; they make this an overestimate.
      return Math.max(0, (to.busy - from.busy - (to.ours - from.ours)) / capacity);
    },
  };
}
