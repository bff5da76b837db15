// The scenario the compare page runs against both stages: a short customer story built from
// the shop's HTTP contract (examples/contract/openapi.json), the same for every stage, so any
// difference in the answers is a difference between the stages. Plain data, typed; the page
// lists it at build time and the browser runs it.
//
// Placeholders: {run} is new for every run of the scenario (both sides get the same value, so
// their bodies can be compared); {lastOrderId} is the order the last answer held, the same
// rule the workbench's request console uses.
import type { ReadyRequest } from '../workbench/requests.ts';

export interface ScenarioStep extends ReadyRequest {
  /** The statuses the contract allows for this request; any other is marked on the page. */
  expect: number[];
}

/** A field left out when two answers are compared: a key name anywhere, or a dotted path. */
export interface IgnoredField {
  field: string;
  why: string;
}

export interface Scenario {
  steps: ScenarioStep[];
  ignored: IgnoredField[];
}

/** "200", "201 or 202", "200, 201 or 202": the statuses a step allows, in words. */
export function allowedStatuses(step: Pick<ScenarioStep, 'expect'>): string {
  const codes = step.expect.map(String);
  return codes.length > 1 ? `${codes.slice(0, -1).join(', ')} or ${codes.at(-1)}` : (codes[0] ?? '');
}

const order = { customerId: 'compare-{run}', items: [{ sku: 'tea-green', quantity: 1 }] };

export const scenario: Scenario = {
  steps: [
    { label: 'List products', method: 'GET', path: '/products', expect: [200] },
    { label: 'Place an order', method: 'POST', path: '/orders', headers: { 'Idempotency-Key': 'compare-{run}' }, body: order, expect: [201, 202] },
    { label: 'Get the order', method: 'GET', path: '/orders/{lastOrderId}', expect: [200] },
    // Invariant 5: the same key and body give back the same order, and charge once.
    { label: 'Replay the order (same Idempotency-Key)', method: 'POST', path: '/orders', headers: { 'Idempotency-Key': 'compare-{run}' }, body: order, expect: [200, 201, 202] },
    { label: 'An invalid order (no items)', method: 'POST', path: '/orders', body: { customerId: 'compare-{run}', items: [] }, expect: [400] },
    // Cancelling puts the stock back, so repeating the scenario never runs the shop out of tea.
    { label: 'Cancel the order', method: 'POST', path: '/orders/{lastOrderId}/cancel', body: { reason: 'comparing two stages' }, expect: [200, 202] },
    { label: 'The customer’s orders', method: 'GET', path: '/orders?customerId=compare-{run}&page=1', expect: [200] },
  ],
  ignored: [
    { field: 'id', why: 'each stage makes its own ids' },
    { field: 'orderId', why: 'an id, as above' },
    { field: 'createdAt', why: 'the time of the run' },
    { field: 'error.message', why: 'human text: the contract fixes the error code, not its wording' },
  ],
};
