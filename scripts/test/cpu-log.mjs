// Loaded into every Node process of `npm test` when TEST_CPU_PROFILE is set (see
// scripts/test-all.ts): at exit, the process appends its command line and the CPU time it used
// to the file TEST_CPU_LOG names. A process killed with SIGKILL writes nothing, and a browser is
// not a Node process, so the profile shows where Node's CPU time goes, not all of it.
import { appendFileSync } from 'node:fs';

const file = process.env.TEST_CPU_LOG;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    const line = JSON.stringify({ argv: process.argv.slice(1), user: user / 1e6, system: system / 1e6 });
    try {
      appendFileSync(file, `${line}\n`);
    } catch {
      // the report folder is gone: nothing to add to
    }
  });
}
