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
