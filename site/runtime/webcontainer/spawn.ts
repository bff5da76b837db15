// How a stage starts inside the container. Its package.json's start script is a plain
// `node src/start.ts` in every stage, so the adapter spawns that `node` itself instead of
// `npm start`: one process fewer in a tab where memory is the limit, and kill() (which takes
// no signal in WebContainer) reaches the stage's own process, the supervisor in stages 6-12,
// instead of npm. A script with anything a shell would interpret (&&, quotes, variables)
// still goes through `npm start`.
export interface StartCommand {
  command: string;
  args: string[];
  /** As the status line shows it. */
  text: string;
}

const NPM_START: StartCommand = { command: 'npm', args: ['start'], text: 'npm start' };

/** The command to spawn for a stage whose package.json has this text (undefined: none). */
export function startCommand(packageJson: string | undefined): StartCommand {
  let script: unknown;
  try {
    script = (JSON.parse(packageJson ?? '{}') as { scripts?: { start?: unknown } }).scripts?.start;
  } catch {
    return NPM_START;
  }
  if (typeof script !== 'string') return NPM_START;
  const words = script.trim().split(/\s+/);
  if (words[0] !== 'node' || words.length < 2 || !words.every((word) => /^[\w./@=:+,-]+$/.test(word))) return NPM_START;
  return { command: 'node', args: words.slice(1), text: words.join(' ') };
}
