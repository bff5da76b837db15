import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'astro/zod';
import { stageDir } from './stages.ts';

// Each stage describes its own shape in stage.json: the processes `npm start` runs, the
// connections between them and the data stores. The stage map is drawn from it, and a test
// checks it against the processes the stage really starts.
const name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'names are lower-case words joined by "-"');

export const stageShape = z
  .object({
    /** Whether `npm start` runs a supervisor process of its own that starts the others. */
    supervisor: z.boolean().default(false),
    processes: z
      .array(
        z.object({
          name,
          command: z.string().min(1),
          public: z.boolean().default(false),
          replicas: z.number().int().min(1).max(10).default(1),
        }),
      )
      .min(1),
    connections: z
      .array(z.object({ from: name, to: name, protocol: z.enum(['http', 'grpc', 'mqtt', 'postgres', 'in-process']), label: z.string().optional() }))
      .default([]),
    stores: z.array(z.object({ name: z.string().min(1), schemas: z.array(z.string()).default([]), usedBy: z.array(name).optional() })).default([]),
  })
  .superRefine((shape, ctx) => {
    const names = new Set(shape.processes.map((p) => p.name));
    if (names.size !== shape.processes.length) ctx.addIssue({ code: 'custom', message: 'process names must be distinct' });
    if (!shape.processes.some((p) => p.public)) ctx.addIssue({ code: 'custom', message: 'one process must be public (it listens on PORT)' });
    shape.connections.forEach((c, i) => {
      for (const end of [c.from, c.to]) {
        if (!names.has(end)) ctx.addIssue({ code: 'custom', path: ['connections', i], message: `connection names "${end}", which is not a process` });
      }
    });
  });

export type StageShape = z.infer<typeof stageShape>;

export function readStageShape(stage: string): StageShape {
  const file = join(stageDir(stage), 'stage.json');
  if (!existsSync(file)) throw new Error(`examples/${stage}/stage.json is missing: every stage describes its processes there`);
  const parsed = stageShape.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`examples/${stage}/stage.json: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** The Node processes `npm start` runs: each process times its replicas, and the supervisor. */
export function processCount(shape: Pick<StageShape, 'supervisor' | 'processes'>): number {
  return shape.processes.reduce((sum, p) => sum + p.replicas, 0) + (shape.supervisor ? 1 : 0);
}

export interface ShapeChange {
  addedProcesses: Set<string>;
  addedConnections: Set<string>;
  addedStores: Set<string>;
}

export const connectionKey = (c: { from: string; to: string; protocol: string }) => `${c.from}->${c.to}:${c.protocol}`;

/** What a stage has that the one before did not: the map highlights it. */
export function changesSince(before: StageShape | undefined, after: StageShape): ShapeChange {
  const had = <T,>(items: T[] | undefined, key: (t: T) => string) => new Set((items ?? []).map(key));
  const processes = had(before?.processes, (p) => p.name);
  const connections = had(before?.connections, connectionKey);
  const stores = had(before?.stores, (s) => s.name);
  return {
    addedProcesses: new Set(after.processes.map((p) => p.name).filter((n) => before && !processes.has(n))),
    addedConnections: new Set(after.connections.map(connectionKey).filter((k) => before && !connections.has(k))),
    addedStores: new Set(after.stores.map((s) => s.name).filter((n) => before && !stores.has(n))),
  };
}
