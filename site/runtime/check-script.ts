// Which command an exercise check may be: only `node <file>.ts` with a plain path inside the
// stage (no "..", no absolute path, no shell), read from the stage's check:exercise script.
// Shared by the Local runner (server/runner/check.ts) and the WebContainer adapter.
const form = /^node ((?:[A-Za-z0-9_-][A-Za-z0-9_.-]*\/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.ts)$/;

/** The file `node` runs for this check:exercise script, or undefined when it is not that form. */
export function checkScriptFile(script: unknown): string | undefined {
  if (typeof script !== 'string') return undefined;
  return form.exec(script.trim())?.[1];
}

/** The check's file as a package.json's text names it, or undefined. */
export function checkFileOf(packageJson: string | undefined): string | undefined {
  try {
    return checkScriptFile(JSON.parse(packageJson ?? '{}')?.scripts?.['check:exercise']);
  } catch {
    return undefined;
  }
}
