import { describe, expect, it } from 'vitest';
import { processCount, readStageShape } from '../lib/stage-map.ts';
import { runBothBudget, runBothRefusal } from './run-budget.ts';

const side = (stage: string) => ({ label: `Stage ${stage.slice(0, 2)}`, processes: processCount(readStageShape(stage)) });

describe('runBothRefusal', () => {
  it('lets any pair up to stage 9 beside stage 10 run in the browser', () => {
    expect(runBothRefusal([side('01-single-file'), side('02-ports-and-adapters')], 'webcontainer')).toBeUndefined();
    expect(runBothRefusal([side('09-saga'), side('10-scaling-out')], 'webcontainer')).toBeUndefined();
  });

  it('refuses two of the heavy stages in the browser, saying how many processes and what the limit is', () => {
    const refusal = runBothRefusal([side('11-gateway-and-observability'), side('12-running-it-for-real')], 'webcontainer');
    expect(refusal).toBe(`Not started: together these stages run 28 Node processes (Stage 11 14, Stage 12 14), and in the browser Run both stops at ${runBothBudget}, what one tab's memory holds.`);
    expect(runBothRefusal([side('10-scaling-out'), side('11-gateway-and-observability')], 'webcontainer')).toMatch(/27 Node processes/);
    expect(runBothRefusal([side('12-running-it-for-real'), side('13-grpc-contracts')], 'webcontainer')).toMatch(/28 Node processes \(Stage 12 14, Stage 13 14\)/);
  });

  it('refuses from one process over the budget, not before', () => {
    expect(runBothRefusal([{ label: 'A', processes: 10 }, { label: 'B', processes: 11 }], 'webcontainer', 21)).toBeUndefined();
    expect(runBothRefusal([{ label: 'A', processes: 10 }, { label: 'B', processes: 12 }], 'webcontainer', 21)).toMatch(/22 Node processes/);
  });

  it('sets no limit on the Local runtime, whose processes are the machine\'s', () => {
    expect(runBothRefusal([side('11-gateway-and-observability'), side('12-running-it-for-real')], 'local')).toBeUndefined();
  });
});
