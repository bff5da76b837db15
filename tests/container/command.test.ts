// `npm run container` as a reader uses it: start one stage the container's way, see its Ready
// line, use it, press Ctrl+C (SIGINT to the command's process group, as a terminal sends it),
// and get exit code 0 with nothing of the stage left. CONTAINER_COMMAND_STAGES picks the
// stages (01 unless told); the container Node is Node 22.22.0 without type stripping.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { NODE_22_BIN } from '../../site/runtime/testing/container-stage.ts';

const root = new URL('../../', import.meta.url).pathname;
const stages = (process.env.CONTAINER_COMMAND_STAGES ?? '01-single-file').split(',');

describe('npm run container', () => {
  for (const stage of stages) {
    it(`${stage}: prints Ready, answers, and stops on Ctrl+C leaving no process`, { timeout: 180_000 }, async () => {
      const child = spawn(process.execPath, ['scripts/container.ts', '--stage', stage, '--node', NODE_22_BIN, '--no-strip'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const exited = once(child, 'exit');
      while (!/^Ready: /m.test(stdout)) {
        assert.equal(child.exitCode, null, `exited before Ready:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.match(stdout, /^Ready: http:\/\/127\.0\.0\.1:\d+\n$/, 'one line on stdout');
      const url = stdout.slice('Ready: '.length).trim();
      assert.equal((await fetch(`${url}/health`)).status, 200);
      process.kill(-child.pid!, 'SIGINT');
      const [code] = await exited;
      assert.equal(code, 0, stderr.slice(-2000));
      assert.match(stderr, /no process of it is left/);
      await assert.rejects(fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) }));
    });
  }
});
