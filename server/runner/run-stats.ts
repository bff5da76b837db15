// What a running stage costs: how many processes it runs and their resident memory, read from
// /proc below the run's supervisor (server/runner/supervisor.ts). The compare page's "cost of
// distribution" panel shows it next to the same figures of another stage. The shape is the
// wire's RunStats (site/runtime/wire.ts), which the Local adapter passes on as it is.
import type { RunStats } from '../../site/runtime/wire.ts';
import { descendants, isRunning, listProcesses, type ProcessInfo } from './proc.ts';

// `npm start` is the same launcher in every stage: counting it would add the same two
// processes and ~50 MB to each side and hide the difference the reader came to see.
const launcher = /(^|\/)npm(-cli\.js)?( |$)|^(\/usr)?(\/bin\/)?(sh|bash|dash) -c /;

export const isLauncher = (command: string) => launcher.test(command);

/** The figures for the processes below `supervisorPid`, from a process table. */
export function statsBelow(supervisorPid: number, all: ProcessInfo[]): RunStats {
  const own = descendants(supervisorPid, all).filter((p) => isRunning(p) && !isLauncher(p.command));
  return { processes: own.length, rssBytes: own.reduce((sum, p) => sum + p.rssBytes, 0) };
}

export interface StatsOptions {
  platform?: NodeJS.Platform;
  procRoot?: string;
}

/** The run's figures, or null where they cannot be read (no /proc: macOS, Windows). */
export function readRunStats(supervisorPid: number | undefined, { platform = process.platform, procRoot = '/proc' }: StatsOptions = {}): RunStats | null {
  if (platform !== 'linux' || supervisorPid === undefined) return null;
  const all = listProcesses(procRoot);
  if (all.length === 0) return null;
  return statsBelow(supervisorPid, all);
}
