import { describe, expect, it } from 'vitest';
import { changesSince, processCount, readStageShape, stageShape } from './stage-map.ts';
import { listStages } from './stages.ts';

describe('stage.json', () => {
  it.each(listStages())('%s has a valid stage.json', (stage) => {
    expect(() => readStageShape(stage)).not.toThrow();
  });

  it('refuses a connection to a process that does not exist, and a stage with no public entry', () => {
    const result = stageShape.safeParse({ processes: [{ name: 'shop', command: 'node a.ts' }], connections: [{ from: 'shop', to: 'ghost', protocol: 'http' }] });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => i.message);
    expect(messages).toContain('one process must be public (it listens on PORT)');
    expect(messages).toContain('connection names "ghost", which is not a process');
  });
});

describe('processCount', () => {
  it('counts every replica, and the supervisor when there is one', () => {
    expect(processCount(stageShape.parse({ processes: [{ name: 'shop', command: 'x', public: true }] }))).toBe(1);
    // stage 10: seven single processes, two shops, three workers, and the supervisor
    expect(processCount(readStageShape('10-scaling-out'))).toBe(13);
  });
});

describe('changesSince', () => {
  const before = stageShape.parse({ processes: [{ name: 'shop', command: 'x', public: true }] });
  const after = stageShape.parse({
    processes: [{ name: 'shop', command: 'x', public: true }, { name: 'payments', command: 'y' }],
    connections: [{ from: 'shop', to: 'payments', protocol: 'http' }],
    stores: [{ name: 'postgres' }],
  });

  it('marks what is new since the previous stage', () => {
    const change = changesSince(before, after);
    expect([...change.addedProcesses]).toEqual(['payments']);
    expect([...change.addedConnections]).toEqual(['shop->payments:http']);
    expect([...change.addedStores]).toEqual(['postgres']);
  });

  it('sees a call moved from HTTP to gRPC as a new connection (stage 13: the saga\'s commands)', () => {
    const change = changesSince(readStageShape('12-running-it-for-real'), readStageShape('13-grpc-contracts'));
    expect([...change.addedConnections].sort()).toEqual(['orchestrator->inventory:grpc', 'orchestrator->payments:grpc']);
    expect(change.addedProcesses.size + change.addedStores.size).toBe(0);
  });

  it('marks nothing on the first stage', () => {
    const change = changesSince(undefined, after);
    expect(change.addedProcesses.size + change.addedConnections.size + change.addedStores.size).toBe(0);
  });
});
