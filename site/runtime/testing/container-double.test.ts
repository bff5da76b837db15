// The double's teardown, which every container suite ends with: it must leave no process and
// no folder behind, even when a process of the container is still writing into it and has
// started a child of its own (a stage's database does both).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ContainerDouble } from './container-double.ts';

describe('ContainerDouble.teardown', () => {
  it('ends every process of the container and removes its folder while they write into it', async () => {
    const double = new ContainerDouble({ node: process.execPath });
    // A parent that starts a child, and both create files in the workdir as fast as they can.
    const writer = "const fs = require('node:fs'); let n = 0; setInterval(() => { for (let i = 0; i < 50; i++) fs.writeFileSync(`f-${process.pid}-${n++}`, 'x'); }, 1);";
    const script = `${writer} require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(writer)}], { stdio: 'ignore' });`;
    await double.fs.writeFile('writer.cjs', script);
    await double.spawn('node', ['writer.cjs']);
    // until the child runs too
    for (let waited = 0; double.processes(undefined, false).length < 2 && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(double.processes(undefined, false)).toHaveLength(2);

    await double.teardown();

    expect(double.processes(undefined, false)).toEqual([]);
    expect(existsSync(double.root)).toBe(false);
  });
});

describe('the limits every process of the double meets', () => {
  // Runs one script in the double and returns what it printed.
  async function runInDouble(file: string, script: string): Promise<string> {
    const double = new ContainerDouble({ node: process.execPath });
    try {
      await double.fs.writeFile(file, script);
      const spawned = await double.spawn('node', [file]);
      let text = '';
      await spawned.output.pipeTo(new WritableStream({ write: (chunk) => void (text += chunk) }));
      await spawned.exit;
      return text.trim();
    } finally {
      await double.teardown();
    }
  }

  it('has no node:http2, for import and for require alike', async () => {
    const script = "import { createRequire } from 'node:module';\n" +
      "const tries = [() => import('node:http2'), async () => createRequire(import.meta.url)('http2')];\n" +
      "for (const t of tries) { try { await t(); console.log('loaded'); } catch (e) { console.log(e.code); } }\n" +
      "await import('node:http'); console.log('http ok');";
    expect((await runInDouble('h2.mjs', script)).split(/\r?\n/)).toEqual(['ERR_UNKNOWN_BUILTIN_MODULE', 'ERR_UNKNOWN_BUILTIN_MODULE', 'http ok']);
  });

  it('lets a process signal only itself', async () => {
    const script = "try { process.kill(process.ppid, 0); console.log('reached'); } catch (e) { console.log(e.code); }";
    expect(await runInDouble('kill.cjs', script)).toBe('ESRCH');
  });
});
