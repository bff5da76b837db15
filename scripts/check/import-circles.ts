// No import circles in the site's and the server's code: a circle means two modules that cannot
// be read, tested or loaded one without the other (and, through a dynamic import, it can pull an
// adapter into a page that meant to load it lazily). Type-only imports count too: they tie the
// files together for a reader just the same. dependency-cruiser finds the circles.
import { cruise } from 'dependency-cruiser';
import { result, type CheckResult } from './report.ts';

/** The folders checked, relative to `root`. */
export const circleFreeFolders = ['site', 'server'];

export async function checkImportCircles(root: string, folders: string[] = circleFreeFolders): Promise<CheckResult> {
  const { output } = await cruise(folders, {
    baseDir: root,
    validate: true,
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // Nothing imports a test file, so none can be on a circle; skipping them saves a quarter of the parsing.
    exclude: { path: '\\.(test|spec)\\.ts$' },
    ruleSet: { forbidden: [{ name: 'no-import-circle', severity: 'error', from: {}, to: { circular: true } }] },
  });
  if (typeof output === 'string') throw new Error('dependency-cruiser returned text instead of its result');
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const violation of output.summary.violations) {
    if (violation.type !== 'cycle' || !violation.cycle) continue;
    const loop = [violation.from, ...violation.cycle.map((step) => step.name)];
    // The same circle is reported once from each of its modules: name it once.
    const key = [...new Set(loop)].sort().join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(`import circle: ${loop.join(' -> ')}`);
  }
  const { totalCruised, totalDependenciesCruised } = output.summary;
  return result(`no import circles in ${folders.map((folder) => `${folder}/`).join(' and ')}`, problems, [`${totalCruised} modules, ${totalDependenciesCruised} imports`]);
}
