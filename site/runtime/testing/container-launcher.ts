// The contract suite's launcher for a stage started the container's way: with
// SHOP_STAGE_LAUNCHER naming this file, examples/contract/src/launch.ts hands startStage() here,
// and every check of the suite talks to a stage that the WebContainer adapter started in the
// container double (./container-stage.ts). CONTAINER_NODE names the container's Node (a name
// of containerNodes() or a path; CONTAINER_NO_STRIP=1 switches its stripping off).
// `options.env` (the suite's DATA_DIR) is not passed in: the page cannot either, and each
// double is a fresh folder.
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stage, StartOptions, StopResult } from '../../../examples/contract/src/launch.ts';
import { containerNodes, openSession, runStage, stageFiles, type ContainerNode } from './container-stage.ts';

/** The container's Node from the environment: CONTAINER_NODE=22-nostrip|22|24 or a path. */
export function containerNodeFromEnv(env: NodeJS.ProcessEnv = process.env): ContainerNode {
  const named = containerNodes()[env.CONTAINER_NODE ?? '22-nostrip'];
  return named ?? { node: env.CONTAINER_NODE!, noStrip: env.CONTAINER_NO_STRIP === '1' };
}

export async function startStage(stageDir: URL | string, _options: StartOptions = {}): Promise<Stage> {
  const dir = typeof stageDir === 'string' ? stageDir : fileURLToPath(stageDir);
  const stage = basename(dir.replace(/[\\/]+$/, ''));
  const session = await openSession(containerNodeFromEnv(), { nodeOptions: process.env.CONTAINER_NODE_OPTIONS });
  try {
    const started = await runStage(session, stage, stageFiles(stage));
    const port = Number(new URL(started.url).port);
    let stopping: Promise<StopResult> | undefined;
    return {
      url: started.url,
      port,
      output: () => started.listener.text(),
      nodeProcesses: () => session.double.processes(started.spawn).map((p) => p.argv),
      stop: () =>
        (stopping ??= (async () => {
          const { ms, survivors } = await started.stop();
          await session.close();
          // "in time": everything of the stage gone by the end of the adapter's Stop.
          return { exitedInTime: survivors.length === 0 && ms < 5_000, ms };
        })()),
    };
  } catch (error) {
    await session.close();
    throw error;
  }
}
