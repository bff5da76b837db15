// The contract suite's launcher for a stage started the container's way: with
// SHOP_STAGE_LAUNCHER naming this file, examples/contract/src/launch.ts hands startStage() here,
// and every check of the suite talks to a stage that the WebContainer adapter started in the
// container double (./container-stage.ts). CONTAINER_NODE names the container's Node (a name
// of containerNodes() or a path; CONTAINER_NO_STRIP=1 switches its stripping off).
// `options.env` (the suite's DATA_DIR) is not passed in: the page cannot either, and each
// double is a fresh folder.
// The double's journey (tests/container/stage.test.ts) hands its "Run again" start over with
// handOver() before it loads the stage's contract suite: the suite then checks that very run
// instead of booting a double and starting the stage once more, and its Stop ends the run.
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stage, StartOptions, StopResult } from '../../../examples/contract/src/launch.ts';
import { containerNodes, openSession, runStage, stageFiles, type ContainerNode, type ContainerSession, type StartedStage } from './container-stage.ts';

/** Runs handed over by the journey, by stage folder name, each taken by the next startStage(). */
const handedOver = new Map<string, { session: ContainerSession; started: StartedStage }>();

/** The next startStage() of `stage` gets this run (of a session its caller keeps and closes). */
export function handOver(stage: string, session: ContainerSession, started: StartedStage): void {
  handedOver.set(stage, { session, started });
}

/** The contract suite's view of a run: its Stop is the adapter's, and ends the session if it is the suite's own. */
function asStage(session: ContainerSession, started: StartedStage, ownSession: boolean): Stage {
  let stopping: Promise<StopResult> | undefined;
  return {
    url: started.url,
    port: Number(new URL(started.url).port),
    output: () => started.listener.text(),
    nodeProcesses: () => session.double.processes(started.spawn).map((p) => p.argv),
    stop: () =>
      (stopping ??= (async () => {
        const { ms, survivors } = await started.stop();
        if (ownSession) await session.close();
        // "in time": everything of the stage gone by the end of the adapter's Stop.
        return { exitedInTime: survivors.length === 0 && ms < 5_000, ms };
      })()),
  };
}

/** The container's Node from the environment: CONTAINER_NODE=22-nostrip|22|24 or a path. */
export function containerNodeFromEnv(env: NodeJS.ProcessEnv = process.env): ContainerNode {
  const named = containerNodes()[env.CONTAINER_NODE ?? '22-nostrip'];
  return named ?? { node: env.CONTAINER_NODE!, noStrip: env.CONTAINER_NO_STRIP === '1' };
}

export async function startStage(stageDir: URL | string, _options: StartOptions = {}): Promise<Stage> {
  const dir = typeof stageDir === 'string' ? stageDir : fileURLToPath(stageDir);
  const stage = basename(dir.replace(/[\\/]+$/, ''));
  const given = handedOver.get(stage);
  if (given) {
    handedOver.delete(stage);
    return asStage(given.session, given.started, false);
  }
  const session = await openSession(containerNodeFromEnv(), { nodeOptions: process.env.CONTAINER_NODE_OPTIONS });
  try {
    return asStage(session, await runStage(session, stage, stageFiles(stage)), true);
  } catch (error) {
    await session.close();
    throw error;
  }
}
