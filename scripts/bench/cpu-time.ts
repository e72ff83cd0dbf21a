/**
 * CPU time a process has used (user + system, from /proc/<pid>/stat; Linux only). On a shared machine other
 * processes' load moves throughput a lot but a process's own CPU time per unit of work much less, so the
 * comparison benchmarks print both.
 */
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields after it are counted from its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
