/**
 * CPU and memory of processes from /proc (Linux): utime+stime of a whole process tree, VmRSS,
 * the database server processes, and which PostgreSQL backends serve a given process's sockets.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const CLK_TCK = 100; // USER_HZ on Linux (getconf CLK_TCK)

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // exited
  }
}

/** utime + stime of one process, in ms (0 if it is gone). */
export function processCpuMs(pid: number): number {
  const f = statFields(pid);
  return f ? ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK : 0;
}

/** The pid and all its live descendants (via /proc/<pid>/task/<tid>/children). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    let tasks: string[] = [];
    try { tasks = readdirSync(`/proc/${p}/task`); } catch { continue; }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ')) if (c.trim()) out.push(Number(c));
      } catch { /* gone */ }
    }
  }
  return out;
}

/** CPU ms of the whole tree under `pid`. */
export function treeCpuMs(pid: number): number {
  let ms = 0;
  for (const p of processTree(pid)) ms += processCpuMs(p);
  return ms;
}

/** Resident set size (MiB) of the whole tree under `pid`. */
export function treeRssMiB(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch { /* gone */ }
  }
  return kb / 1024;
}

/** Pids matching `pgrep <args>` (empty when none or no pgrep). */
export function pgrep(...args: string[]): number[] {
  try {
    return execFileSync('pgrep', args, { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU ms per pid, for deltas over a set of processes that may come and go. */
export function cpuSnapshot(pids: number[]): Map<number, number> {
  return new Map(pids.map((p) => [p, processCpuMs(p)]));
}

/** CPU used between two snapshots by the pids alive at the end (new pids count from zero). */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [p, v] of after) ms += v - (before.get(p) ?? 0);
  return ms;
}

/** Local TCP ports of the sockets `pid` holds open (its connections to PostgreSQL, say). */
export function localPortsOf(pid: number): Set<number> {
  const inodes = new Set<string>();
  for (const p of processTree(pid)) {
    let fds: string[] = [];
    try { fds = readdirSync(`/proc/${p}/fd`); } catch { continue; }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${p}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch { /* closed meanwhile */ }
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(table, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && inodes.has(cols[9]!)) ports.add(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** utime + stime (ms) of one thread of a process; the main thread's tid is the pid. */
export function threadCpuMs(pid: number, tid: number = pid): number {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** CPU ms per thread name (/proc/<pid>/task/<tid>/comm: "node" main, "libuv-worker", "V8 DefaultWorke"…). */
export function cpuByThreadName(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[] = [];
  try { tids = readdirSync(`/proc/${pid}/task`); } catch { return out; }
  for (const tid of tids) {
    let name = '?';
    try { name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim(); } catch { continue; }
    if (Number(tid) === pid) name = `${name} (main thread)`;
    out.set(name, (out.get(name) ?? 0) + threadCpuMs(pid, Number(tid)));
  }
  return out;
}

/**
 * CPU time (ms, nanosecond resolution) of all live threads of a process, from
 * /proc/<pid>/task/<tid>/schedstat. Finer than utime+stime (10 ms ticks), so short batches can be
 * measured; threads that exit between two readings take their time with them.
 */
export function preciseCpuMs(pid: number): number {
  let ns = 0;
  let tids: string[] = [];
  try { tids = readdirSync(`/proc/${pid}/task`); } catch { return 0; }
  for (const tid of tids) {
    try { ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]); } catch { /* gone */ }
  }
  return ns / 1e6;
}
