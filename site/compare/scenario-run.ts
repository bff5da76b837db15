// Runs the scenario against one running stage, and lines two stages' outcomes up row by row
// for the results table. The sending itself is the caller's (a Runner's request()), so this
// runs the same in the browser and in a unit test.
import type { ShopRequest, ShopResponse } from '../runtime/port.ts';
import { formToRequest, orderIdIn, toForm, type Placeholders } from '../workbench/requests.ts';
import { compareBodies, type BodyComparison } from './body-diff.ts';
import type { Scenario, ScenarioStep } from './scenario.ts';

export type Send = (request: ShopRequest) => Promise<ShopResponse>;

export interface StepOutcome {
  request?: ShopRequest;
  response?: ShopResponse;
  /** Why there is no response: the request could not be built, or the runtime failed. */
  problem?: string;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One pass through the steps, in order; a failed step does not stop the ones after it. */
export async function runScenario(steps: readonly ScenarioStep[], send: Send, run: string): Promise<StepOutcome[]> {
  const values: Placeholders = { run };
  const outcomes: StepOutcome[] = [];
  for (const step of steps) {
    let request: ShopRequest;
    try {
      request = formToRequest(toForm(step), values);
    } catch (error) {
      outcomes.push({ problem: `Not sent: ${message(error)}` });
      continue;
    }
    try {
      const response = await send(request);
      const orderId = orderIdIn(response.body);
      if (orderId) values.lastOrderId = orderId;
      outcomes.push({ request, response });
    } catch (error) {
      outcomes.push({ request, problem: message(error) });
    }
  }
  return outcomes;
}

/** A value for {run} that no earlier run used, on either side, even after a reload. */
export const newRunId = (n = 0) => `${Date.now().toString(36)}-${n}`;

export interface SideResult {
  status?: number;
  ms?: number;
  /** Whether the status is one the contract allows for this step. */
  expected: boolean;
  problem?: string;
}

export interface ResultRow {
  step: ScenarioStep;
  from: SideResult;
  to: SideResult;
  /** Absent when either side has no answer to compare. */
  bodies?: BodyComparison;
}

function side(step: ScenarioStep, outcome: StepOutcome | undefined): SideResult {
  const response = outcome?.response;
  if (!response) return { expected: false, problem: outcome?.problem ?? 'No answer' };
  return { status: response.status, ms: response.ms, expected: step.expect.includes(response.status) };
}

export function pairOutcomes(scenario: Scenario, from: readonly StepOutcome[], to: readonly StepOutcome[]): ResultRow[] {
  const ignored = scenario.ignored.map((i) => i.field);
  return scenario.steps.map((step, i) => {
    const a = from[i]?.response;
    const b = to[i]?.response;
    return { step, from: side(step, from[i]), to: side(step, to[i]), ...(a && b ? { bodies: compareBodies(a.body, b.body, ignored) } : {}) };
  });
}

/** The latency of every answered request, for the percentiles. */
export const latencies = (outcomes: readonly StepOutcome[]) => outcomes.flatMap((o) => (o.response ? [o.response.ms] : []));
