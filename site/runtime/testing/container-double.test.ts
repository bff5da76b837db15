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
