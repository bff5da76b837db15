// Memory of each stage run the container's way (the WebContainer adapter in the container
// double, site/runtime/testing/): process count and summed RSS at Ready and after the
// chapter's experiment (the ready-made requests its "Experiment" steps name, in order), with
// the full and the light (SHOP_PROFILE=small) profile. In WebContainer every one of these
// processes lives in the reader's tab, so this is the closest figure we have to the tab's cost.
import { experimentRequests, FULL, LIGHT, memoryOf, openSession, runStage, sendReadyRequests, stageFiles, type ContainerNode } from '../../site/runtime/testing/container-stage.ts';

export interface ContainerMemory {
  stage: string;
  profile: 'full' | 'small';
  readyMs: number;
  atReady: { processes: number; rssBytes: number };
  afterExperiment: { processes: number; rssBytes: number };
  /** Stop through the adapter: how long, and how many processes were left. */
  stopMs: number;
  survivors: number;
}

export async function containerMemory(container: ContainerNode, stages: string[]): Promise<ContainerMemory[]> {
  const results: ContainerMemory[] = [];
  for (const profile of [FULL, LIGHT]) {
    const session = await openSession(container, { profile });
    try {
      for (const stage of stages) {
        const started = await runStage(session, stage, stageFiles(stage));
        const atReady = memoryOf(session.double, started.spawn);
        await sendReadyRequests(started.run, experimentRequests(stage));
        const afterExperiment = memoryOf(session.double, started.spawn);
        const { ms, survivors } = await started.stop();
        results.push({ stage, profile: profile.name, readyMs: started.readyMs, atReady, afterExperiment, stopMs: ms, survivors: survivors.length });
      }
    } finally {
      await session.close();
    }
  }
  return results;
}
