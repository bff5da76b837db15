// Processes as Linux's /proc describes them: who is whose child, which group, how much memory.
// The runner uses it to tell whether a run's processes are gone and what a run costs; the
// bench uses it to count a stage's processes. `procRoot` lets tests point it at a folder
// laid out like /proc.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Process group id. */
  pgrp: number;
  /** R, S, D, Z (zombie: ended, not yet reaped), X (dead), ... */
  state: string;
  /** VmRSS: resident memory; 0 for kernel threads and zombies. */
  rssBytes: number;
  /** The command line, arguments joined by spaces. */
  command: string;
}

/** The fields of /proc/<pid>/stat this code needs; the command name may hold spaces and ")". */
export function parseStat(text: string): Pick<ProcessInfo, 'state' | 'ppid' | 'pgrp'> {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number(fields[1]), pgrp: Number(fields[2]) };
}

export function readProcess(pid: number, procRoot = '/proc'): ProcessInfo | undefined {
  try {
    const stat = parseStat(readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`${procRoot}/${pid}/status`, 'utf8'));
    const command = readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ...stat, rssBytes: Number(rss?.[1] ?? 0) * 1024, command };
  } catch {
    return undefined; // gone between listing and reading
  }
}

/** Every process /proc lists (none where there is no /proc). */
export function listProcesses(procRoot = '/proc'): ProcessInfo[] {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name), procRoot))
    .filter((p): p is ProcessInfo => p !== undefined);
}

/** Every process descended from `root`, not counting `root` itself. */
export function descendants(root = process.pid, all: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const frontier = [root];
  while (frontier.length) {
    const parent = frontier.pop()!;
    for (const child of all.filter((p) => p.ppid === parent)) {
      found.push(child);
      frontier.push(child.pid);
    }
  }
  return found;
}

export const isRunning = (p: Pick<ProcessInfo, 'state'>) => p.state !== 'Z' && p.state !== 'X';
