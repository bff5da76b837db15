// --record: a script of this stage also writes its figures into the project's measurements.json
// (the one file the chapters read measured figures from), through the project's own recorder
// (scripts/bench/record.ts). Both live above the stage, so they are loaded only when asked: a
// copy of the stage on its own (the browser's container, a download) has neither, and runs
// every script without --record.
import { fileURLToPath } from 'node:url';

export type Figure = { value: number; unit: 'ms' | 'bytes' | 'count' | 'per-s' };
type Recorder = {
  thisMachine(): object;
  recordSection(path: string, name: string, command: string, machine: object, figures: Record<string, Figure>): unknown;
};
export type RecordSection = (name: string, command: string, figures: Record<string, Figure>) => void;

/**
 * Undefined without --record. With it, a function that records a section; the machine (its
 * load among the rest) is read now, when the script starts, before it adds its own load.
 */
export async function recorderIfAsked(): Promise<RecordSection | undefined> {
  if (!process.argv.includes('--record')) return undefined;
  const recorder = '../../../scripts/bench/record.ts';
  const { recordSection, thisMachine } = (await import(recorder)) as Recorder;
  const machine = thisMachine();
  const path = fileURLToPath(new URL('../../../measurements.json', import.meta.url));
  return (name, command, figures) => {
    recordSection(path, name, command, machine, figures);
    console.log(`recorded ${Object.keys(figures).length} figures in measurements.json, section ${name}`);
  };
}
