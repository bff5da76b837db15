// The page's one runtime and the stages' files, shared by everything on a page that runs a
// stage: the workbench's session and the compare page's two runs. Small on purpose; the
// adapters themselves arrive through load.ts's dynamic imports.
import type { FileMap, Runtime, RunListener } from '../../runtime/port.ts';

let runtime: Promise<Runtime> | undefined;
/** One runtime per page, booted once and reused by every run (and every workbench). */
export function getRuntime(listener: RunListener): Promise<Runtime> {
  runtime ??= import('../../runtime/load.ts').then(({ loadRuntime }) => loadRuntime({ listener }));
  runtime.catch(() => (runtime = undefined)); // A failed load is retried by the next Run.
  return runtime;
}

/** A stage's original files, as the build wrote them to /runtime/files/<stage>.json. */
export async function fetchStageFiles(stage: string): Promise<FileMap> {
  const response = await fetch(`/runtime/files/${stage}.json`);
  if (!response.ok) throw new Error(`the files of stage ${stage} did not load (${response.status})`);
  return ((await response.json()) as { files: FileMap }).files;
}
