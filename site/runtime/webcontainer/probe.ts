// What the container's Node can do, asked once per boot and shown in the first run's Output.
// Every stage runs .ts files with Node's type stripping (Node 22.18+), and stages 11-12 carry
// trace context in AsyncLocalStorage, which WebContainer's Node is reported to lose across
// await (stackblitz/webcontainer-core#1169). Nothing public says which Node a container runs
// or whether stripping works there, so the page asks instead of assuming; where a .ts file did
// not run, the stages start with the type-stripping hook instead (./spawn.ts).
import type { WebContainerLike } from './api.ts';
import { nodeJson } from './node-json.ts';
import type { BootState, NodeProbe } from './state.ts';

export const PROBE_PATH = 'runtime/probe.mjs';
export const PROBE_TYPES_PATH = 'runtime/probe-types.mts';

/** Imported by the probe: it loads only where Node strips types. */
export const PROBE_TYPES = `export const stripped: boolean = true;\n`;

export const PROBE_SCRIPT = `// Written by the site's WebContainer adapter: what this container's Node can do.
import { AsyncLocalStorage } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';
const out = process.argv[2];
let runsTypeScript = false;
try {
  runsTypeScript = (await import('./probe-types.mts')).stripped === true;
} catch {}
let asyncContext = false;
try {
  const storage = new AsyncLocalStorage();
  asyncContext = await storage.run('kept', async () => {
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 1));
    return storage.getStore() === 'kept';
  });
} catch {}
writeFileSync(out, JSON.stringify({ version: process.version, typescript: (process.features && process.features.typescript) || false, runsTypeScript, asyncContext }));
`;

/** Writes the probe's files (once per boot, with the request helper). */
export async function writeProbe(instance: WebContainerLike): Promise<void> {
  await instance.fs.writeFile(PROBE_PATH, PROBE_SCRIPT);
  await instance.fs.writeFile(PROBE_TYPES_PATH, PROBE_TYPES);
}

export function runProbe(state: BootState, instance: WebContainerLike): Promise<NodeProbe> {
  return nodeJson<NodeProbe>(state, instance, PROBE_PATH, [], 20_000, 'Node probe');
}

/** 22.18 or later: the first Node that strips types without a flag. */
export function stripsByDefault(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 18);
}

/** The probe's result as the Output shows it, with what it means for the stages. */
export function describeProbe(probe: NodeProbe): string {
  const lines = [
    `Node in the container: ${probe.version}; type stripping: ${probe.typescript || 'none'}${probe.runsTypeScript ? ' (a .ts file ran)' : ' (a .ts file did NOT run)'}; AsyncLocalStorage across await: ${probe.asyncContext ? 'kept' : 'lost'}.`,
  ];
  if (!probe.runsTypeScript) {
    lines.push('This Node does not strip TypeScript types itself: every stage runs with the hook that does (node --import ../contract/strip-types.mjs).');
  }
  if (!probe.asyncContext) lines.push('Stages 11-12 notice the lost AsyncLocalStorage context themselves and say how they link spans instead.');
  return lines.map((line) => `${line}\n`).join('');
}
