/**
 * What a process costs, read from Linux's /proc: CPU time (utime + stime of every thread, in clock ticks) and
 * resident memory. The parsers are pure; the readers return undefined for a process that has gone.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Linux's USER_HZ: /proc reports CPU times in these ticks (100 on every mainstream architecture). */
export const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** User plus system CPU time of all the process's threads, in clock ticks. */
  cpuTicks: number;
}

/** Parses /proc/<pid>/stat (proc(5)); `comm` is in parentheses and may itself hold spaces and parentheses. */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${text.slice(0, 60)}`);
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // After comm: state(3) ppid(4) … utime(14) stime(15); fields[0] is field 3.
  const at = (n: number) => Number(fields[n - 3]);
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), ppid: at(4), cpuTicks: at(14) + at(15) };
}

/** VmRSS from /proc/<pid>/status, in MiB. */
export function parseRssMiB(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) / 1024 : 0;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export function procStat(pid: number): ProcStat | undefined {
  const text = read(`/proc/${pid}/stat`);
  return text === undefined ? undefined : parseProcStat(text);
}

export function cpuSeconds(pid: number): number | undefined {
  const stat = procStat(pid);
  return stat && stat.cpuTicks / CLOCK_TICKS_PER_SECOND;
}

export function rssMiB(pid: number): number | undefined {
  const status = read(`/proc/${pid}/status`);
  return status === undefined ? undefined : parseRssMiB(status);
}

/** The command line, arguments joined by spaces. */
export function commandLine(pid: number): string {
  return (read(`/proc/${pid}/cmdline`) ?? "").split("\0").filter(Boolean).join(" ");
}

/** Direct children of a process. */
export function childPids(parent: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat?.ppid === parent) children.push(stat.pid);
  }
  return children;
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = (read("/proc/loadavg") ?? "").split(" ").map(Number);
  return [one, five, fifteen];
}

/** CPU seconds of several named processes at once. */
export function cpuSnapshot(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid) ?? 0]));
}

/** Per-process CPU used between two snapshots, in seconds. */
export function cpuDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((name) => [name, Math.max(0, (after[name] ?? 0) - (before[name] ?? 0))]));
}
