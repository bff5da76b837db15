// stage.json must tell the truth: start every stage as a reader would and count the Node
// processes it really runs (npm itself aside).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStage } from '../../examples/contract/src/launch.ts';
import { descendants } from '../../server/runner/proc.ts';
import { expectedProcessCount, readStageShape } from '../../site/lib/stage-map.ts';
import { examplesRoot, listStages } from '../../site/lib/stages.ts';

describe.runIf(process.platform === 'linux')('each stage runs the processes its stage.json lists', () => {
  it.each(listStages())('%s', async (stage) => {
    const shape = readStageShape(stage);
    // A data folder of its own, so the test leaves no .data/ in the reader's stage folder.
    const dataDir = mkdtempSync(join(tmpdir(), 'stage-processes-'));
    const running = await startStage(join(examplesRoot, stage), { env: { DATA_DIR: dataDir } });
    try {
      const nodes = descendants().filter((p) => /(^|\/)node\s/.test(p.command + ' ') && !/npm-cli|\/npm\b|vitest|chrom/.test(p.command));
      expect(nodes.map((p) => p.command), `${stage}: processes found`).toHaveLength(expectedProcessCount(shape));
    } finally {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
