// `npm run container -- --stage <NN-slug> [--node <path>] [--no-strip] [--light]`: one stage run
// the container's way. The WebContainer adapter's own code boots the container double
// (site/runtime/testing/container-double.ts) on the given Node (default: Node 22.22.0 as
// installed by .ci/run, else this Node), starts the stage, and prints one line on stdout,
// `Ready: http://127.0.0.1:<port>`; the stage's Output goes to stderr. On SIGINT or SIGTERM
// it stops the stage through the adapter's Stop and exits 0 only if no process of the stage
// is left, otherwise 1 naming the survivors. Needs the built site's dependency snapshot.
import { existsSync } from 'node:fs';
import { FULL, LIGHT, NODE_22_BIN, openSession, runStage, stageFiles } from '../site/runtime/testing/container-stage.ts';
import { listStages } from '../site/lib/stages.ts';

const args = process.argv.slice(2);
const value = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const stage = value('--stage');
if (!stage || !listStages().includes(stage)) {
  console.error(`usage: npm run container -- --stage <stage> [--node <path>] [--no-strip] [--light]\nstages: ${listStages().join(', ')}`);
  process.exit(2);
}
const node = value('--node') ?? (existsSync(NODE_22_BIN) ? NODE_22_BIN : process.execPath);
const session = await openSession({ node, noStrip: args.includes('--no-strip') }, { profile: args.includes('--light') ? LIGHT : FULL });

let started: Awaited<ReturnType<typeof runStage>>;
try {
  started = await runStage(session, stage, stageFiles(stage), 'main', (text) => process.stderr.write(text));
} catch (error) {
  console.error((error as Error).message);
  await session.close();
  process.exit(1);
}
console.log(`Ready: ${started.url}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const { ms, survivors } = await started.stop();
  await session.close(); // ends anything left, so a failed Stop does not leak processes either
  if (survivors.length) {
    console.error(`Stop left ${survivors.length} process(es) of ${stage} running after ${Math.round(ms)} ms:\n${survivors.map((p) => `  pid ${p.pid}: ${p.argv.join(' ')}`).join('\n')}`);
    process.exit(1);
  }
  console.error(`Stopped ${stage} in ${Math.round(ms)} ms; no process of it is left.`);
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
