// The WebContainer adapter's own code, run through the container double on one container
// Node, for the stages in CONTAINER_STAGES (comma-separated folder names; all when unset):
// boot, pin, probe, dependency snapshot, Run -> Ready, the chapter's ready-made requests,
// Stop (no process left, ports closed), Run again, the exercise Check (fails untouched,
// passes with the solution), and Run both for a split pair (05 beside 06). CONTAINER_NODE
// picks the Node (see site/runtime/testing/container-launcher.ts). With CONTAINER_CONTRACT=1
// the stage's contract suite (examples/<stage>/test/contract.test.ts, loaded inside the
// stage's describe) checks the "Run again" start, handed to it through the launcher: one start
// serves both, and the suite's Stop ends it. scripts/container-suite.ts runs this file for
// each container; `npm test` runs part of it.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CONTAINER_NODE } from '../../site/runtime/webcontainer/pin.ts';
import { pathToFileURL } from 'node:url';
import { containerNodeFromEnv, handOver } from '../../site/runtime/testing/container-launcher.ts';
import { chapterRequests, memoryOf, openSession, runStage, sendReadyRequests, stageFiles, withSolution, type ContainerSession } from '../../site/runtime/testing/container-stage.ts';

const root = new URL('../../', import.meta.url).pathname;
const allStages = readdirSync(join(root, 'examples')).filter((name) => /^\d\d-/.test(name)).sort();
const stages = process.env.CONTAINER_STAGES ? process.env.CONTAINER_STAGES.split(',') : allStages;
const container = containerNodeFromEnv();
const label = `${process.env.CONTAINER_NODE ?? '22-nostrip'}`;
// One line per stage for the suite's summary (scripts/container-suite.ts collects them).
const withContract = process.env.CONTAINER_CONTRACT === '1';
// examples/contract/src/launch.ts starts stages through the launcher module this file imports (the same instance).
if (withContract) process.env.SHOP_STAGE_LAUNCHER = join(root, 'site', 'runtime', 'testing', 'container-launcher.ts');
// CONTAINER_JOURNEY=short (what `npm test` asks of the Nodes that strip types themselves): Run,
// the requests and Stop, with no second Run, and the Check of the first stage only. The second
// Run and every stage's Check go the same way on every Node once the probe has chosen the command
// (tested in full where the hook does the work, and on all three with --all).
const short = process.env.CONTAINER_JOURNEY === 'short';
const report = (fields: Record<string, string | number>) => console.log(`container-figures ${JSON.stringify({ node: label, ...fields })}`);

describe(`the adapter in the container double (Node ${label})`, () => {
  let session: ContainerSession;
  before(async () => {
    session = await openSession(container, { nodeOptions: process.env.CONTAINER_NODE_OPTIONS });
  });
  after(() => session?.close());

  it('boots, pins Node, mounts the snapshot and says what the container’s Node can do', async () => {
    const listener = { output: (text: string) => void (probeReport += text), status: () => {} };
    let probeReport = '';
    const run = await session.runtime.start('probe', stages[0]!, stageFiles(stages[0]!), listener);
    await run.ready;
    await run.stop();
    assert.match(probeReport, new RegExp(`Node in the container: v${container.node === process.execPath ? process.versions.node : CONTAINER_NODE}; type stripping: ${container.noStrip ? 'none' : 'strip'}`));
    if (container.noStrip) assert.match(probeReport, /does not strip TypeScript types itself: every stage runs with the hook/);
    assert.doesNotMatch(probeReport, /expect them to fail/);
    const { root: workdir } = session.double;
    assert.equal(JSON.parse(readFileSync(join(workdir, 'package.json'), 'utf8')).engines.node, CONTAINER_NODE);
    assert.equal(readFileSync(join(workdir, '.nvmrc'), 'utf8'), `v${CONTAINER_NODE}\n`);
    // The snapshot is the only node_modules: the stages' dependencies, not the site's tooling.
    assert.ok(existsSync(join(workdir, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
    assert.ok(existsSync(join(workdir, 'node_modules', 'amaro', 'package.json')), 'the strip-types hook’s stripper is in the snapshot');
    assert.ok(!existsSync(join(workdir, 'node_modules', 'astro')), 'the site’s own packages are not');
  });

  it('fails on a package the snapshot lacks, even one the project has installed', async () => {
    assert.ok(existsSync(join(root, 'node_modules', 'vitest')), 'the project has vitest');
    const process = await session.double.spawn('node', ['--input-type=module', '-e', "await import('vitest')"]);
    let output = '';
    void process.output.pipeTo(new WritableStream({ write: (text) => void (output += text) }));
    assert.notEqual(await process.exit, 0);
    assert.match(output, /Cannot find (package|module) 'vitest'/);
  });

  it('no stage reads a process table, its parent pid or signals another process (the container has none of them)', () => {
    const found: string[] = [];
    for (const stage of stages) {
      const files = stageFiles(stage);
      for (const [path, text] of Object.entries(files)) {
        if (!path.startsWith('src/')) continue;
        for (const [line, content] of text.split('\n').entries()) {
          if (/\/proc\b|\bppid\b|['"]ps['"]|process\.kill\((?!process\.pid\b)/.test(content)) found.push(`${stage}/${path}:${line + 1}: ${content.trim()}`);
        }
      }
    }
    assert.deepEqual(found, []);
  });

  for (const stage of stages) {
    describe(stage, async () => {
      const files = stageFiles(stage);

      it('Run -> Ready, the chapter’s ready-made requests, Stop with nothing left, Run again', async () => {
        const first = await runStage(session, stage, files);
        // Where Node cannot strip types, the stage runs with the hook (the probe said so at the first Run).
        const command = session.double.spawned.find((entry) => entry.spawn === first.spawn)!;
        assert.equal(command.args.includes('--import'), container.noStrip, command.args.join(' '));
        assert.doesNotMatch(first.listener.text(), /expect them to fail/);
        const atReady = memoryOf(session.double, first.spawn);
        const answers = await sendReadyRequests(first.run, chapterRequests(stage));
        for (const answer of answers) {
          assert.ok(answer.status < 500 || answer.status === 503, `${answer.label}: ${answer.status} ${answer.body.slice(0, 300)}`);
          // (stage 11's Metrics answers Prometheus text, as its content type says)
          if (answer.contentType.includes('json')) assert.doesNotThrow(() => JSON.parse(answer.body), `${answer.label} answers JSON`);
        }
        const ports = [...session.double.listeningPorts(first.spawn)];
        assert.ok(ports.includes(Number(new URL(first.url).port)));
        const stop = await first.stop();
        assert.deepEqual(stop.survivors.map((p) => p.argv.join(' ')), [], 'no process of the stage is left after Stop');
        assert.deepEqual([...session.double.listeningPorts()].filter((p) => ports.includes(p)), [], 'its ports are closed');
        assert.doesNotMatch(first.listener.text(), /still open/);

        if (short) {
          report({ stage, readyMs: Math.round(first.readyMs), stopMs: Math.round(stop.ms), processes: atReady.processes, rssMiB: Math.round(atReady.rssBytes / 2 ** 20) });
          return;
        }
        const second = await runStage(session, stage, files);
        const again = await second.run.request({ method: 'GET', path: '/products' });
        assert.equal(again.status, 200);
        if (withContract) {
          // The contract suite below takes this run; its shutdown check stops it and asserts nothing is left.
          handOver(stage, session, second);
        } else {
          const secondStop = await second.stop();
          assert.deepEqual(secondStop.survivors, []);
        }
        report({ stage, readyMs: Math.round(first.readyMs), readyAgainMs: Math.round(second.readyMs), stopMs: Math.round(stop.ms), processes: atReady.processes, rssMiB: Math.round(atReady.rssBytes / 2 ** 20) });
      });

      // Registers the stage's contract suite here, between the run it checks and the Check.
      if (withContract) await import(pathToFileURL(join(root, 'examples', stage, 'test', 'contract.test.ts')).href);

      const hasCheck = Boolean(JSON.parse(files['package.json'] ?? '{}').scripts?.['check:exercise']);
      const checkSkipped = !hasCheck ? 'no exercise check' : short && stage !== stages[0] ? 'the short journey checks its first stage only' : false;
      it('Check fails on the untouched exercise and passes with the solution', { skip: checkSkipped }, async () => {
        const spawnsBefore = session.double.spawned.length;
        const untouched = await session.runtime.check!('main', stage, files, { output: () => {} });
        assert.equal(untouched.passed, false, untouched.output);
        const solved = await session.runtime.check!('main', stage, withSolution(files), { output: () => {} });
        assert.equal(solved.passed, true, solved.output);
        // A check starts the stage itself and stops it before it ends: nothing of it is left.
        const checks = session.double.spawned.slice(spawnsBefore).map((entry) => entry.spawn);
        assert.deepEqual(checks.flatMap((spawn) => session.double.processes(spawn)).map((p) => p.argv.join(' ')), []);
      });
    });
  }

  const pair = ['05-events-and-outbox', '06-extract-payments'] as const;
  it(`Run both: ${pair.join(' beside ')} at once, then Stop both`, { skip: !pair.every((s) => stages.includes(s)) && 'needs both stages selected' }, async () => {
    const [from, to] = await Promise.all([runStage(session, pair[0], stageFiles(pair[0]), 'compare-from'), runStage(session, pair[1], stageFiles(pair[1]), 'compare-to')]);
    assert.notEqual(from.url, to.url);
    for (const run of [from, to]) assert.equal((await run.run.request({ method: 'GET', path: '/products' })).status, 200);
    const stops = await Promise.all([from.stop(), to.stop()]);
    assert.deepEqual(stops.flatMap((s) => s.survivors), []);
  });
});
