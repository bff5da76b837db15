// How a stage starts inside the container. Its package.json's start script is a plain
// `node src/start.ts` in every stage, so the adapter spawns that `node` itself instead of
// `npm start`: one process fewer in a tab where memory is the limit, and kill() (which takes
// no signal in WebContainer) reaches the stage's own process, the supervisor in stages 6-12,
// instead of npm. A script with anything a shell would interpret (&&, quotes, variables)
// still goes through `npm start`.
//
// Where the container's Node does not run a .ts file (the probe, ./probe.ts, says so, or could
// not tell), every `node` gets the type-stripping hook the repository's strip-free runs use,
// examples/contract/strip-types.mjs, mounted in each slot beside the stage. It does what
// Node's own stripping does (amaro, the stripper Node ships, from the dependency snapshot) and
// the supervisors of stages 6-12 pass it on to every service. Chosen over JavaScript prepared
// by the page: nothing to keep in step with the reader's edits, and no second copy of each
// file in the container. Its cost shows in `npm run test:container`, which prints Run -> Ready
// of each stage in the container double on Node 22.22.0 with and without Node's own stripping.
import type { NodeProbe } from './state.ts';

export interface StartCommand {
  command: string;
  args: string[];
  /** As the status line shows it. */
  text: string;
  /** Added to the process's environment. */
  env?: Record<string, string>;
}

/** The hook, as a path from a stage's folder (slots/<slot>/examples/<stage>/). */
export const STRIP_TYPES_HOOK = '../contract/strip-types.mjs';

/** Whether `node` needs the hook in this container: only where a .ts file was seen to run does it not. */
export const needsStripHook = (probe: NodeProbe | undefined) => !probe?.runsTypeScript;

/** `command` as it must run in this container: with the hook where Node cannot strip types. */
export function withTypeStripping(command: StartCommand, probe: NodeProbe | undefined): StartCommand {
  if (!needsStripHook(probe)) return command;
  const hook = ['--import', STRIP_TYPES_HOOK];
  // `npm start` runs a shell script: the hook reaches its node through the environment.
  if (command.command !== 'node') return { ...command, env: { NODE_OPTIONS: hook.join(' ') } };
  return { command: 'node', args: [...hook, ...command.args], text: ['node', ...hook, ...command.args].join(' ') };
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
