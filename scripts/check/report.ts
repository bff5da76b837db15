// What every check returns: problems fail it; notes are printed for information.
export interface CheckResult {
  name: string;
  problems: string[];
  notes: string[];
}

export function result(name: string, problems: string[] = [], notes: string[] = []): CheckResult {
  return { name, problems, notes };
}
