import { readdirSync, readFileSync } from 'node:fs';
import { processTree } from './process-memory.js';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU milliseconds (user + system) a process has used so far, children that ended (and were waited
 * for) included: for the bench's own process, its in-process senders and the peers it ran to the end.
 */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime: fields 14–17 of the line, 12–15 after the command name.
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU milliseconds of a process tree (for a forking server: the master, its live and its reaped children). */
export function treeCpuMs(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + processCpuMs(pid), 0);
}

/**
 * CPU milliseconds of one process's live threads, from the scheduler's nanosecond count
 * (`/proc/PID/task/TID/schedstat`, its first field: time on a CPU). `/proc/PID/stat` counts in 10 ms
 * ticks, so one 50 MB RETR's 100 ms are ±1 tick a sample; this resolves microseconds. Threads that
 * ended and children are not in it: for a relay that neither forks nor ends threads (Node: the bridge,
 * the minimal relay), not for websockify.
 */
export function liveThreadsCpuMs(pid: number): number {
  let ns = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  return ns / 1e6;
}
