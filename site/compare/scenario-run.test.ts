import { describe, expect, it } from 'vitest';
import type { ShopRequest, ShopResponse } from '../runtime/port.ts';
import { allowedStatuses, scenario } from './scenario.ts';
import { latencies, pairOutcomes, runScenario, type Send } from './scenario-run.ts';

/** A tiny shop that follows the contract well enough for the scenario; ids carry a prefix. */
function fakeShop(prefix: string, { pendingOrders = false } = {}): { send: Send; seen: ShopRequest[] } {
  const seen: ShopRequest[] = [];
  const orders = new Map<string, Record<string, unknown>>();
  const byKey = new Map<string, string>();
  const answer = (status: number, body: unknown): ShopResponse => ({ status, headers: {}, body: JSON.stringify(body), ms: status === 400 ? 1 : 3 });
  const send: Send = async (request) => {
    seen.push(request);
    const body = request.body ? JSON.parse(request.body) : undefined;
    if (request.path === '/products') return answer(200, [{ sku: 'tea-green', stock: 100 }]);
    if (request.method === 'POST' && request.path === '/orders') {
      if (!body.items.length) return answer(400, { error: { code: 'invalid_request', message: `${prefix}: items is empty` } });
      const key = request.headers?.['Idempotency-Key'];
      const known = key ? byKey.get(key) : undefined;
      if (known) return answer(200, orders.get(known));
      const id = `${prefix}_${orders.size + 1}`;
      const order = { id, ...body, status: pendingOrders ? 'pending' : 'confirmed', createdAt: `${prefix}-time` };
      orders.set(id, order);
      if (key) byKey.set(key, id);
      return answer(pendingOrders ? 202 : 201, order);
    }
    const cancel = /^\/orders\/([^/]+)\/cancel$/.exec(request.path);
    if (cancel) {
      const order = orders.get(cancel[1]!)!;
      order.status = 'cancelled';
      return answer(200, order);
    }
    const get = /^\/orders\/([^/?]+)$/.exec(request.path);
    if (get) return orders.has(get[1]!) ? answer(200, orders.get(get[1]!)) : answer(404, { error: { code: 'not_found', message: 'no' } });
    if (request.path.startsWith('/orders?')) return answer(200, { items: [...orders.values()].reverse(), page: 1, pageSize: 20 });
    throw new Error('unexpected request');
  };
  return { send, seen };
}

describe('runScenario', () => {
  it('fills {run} and the order id from earlier answers, and sends JSON', async () => {
    const shop = fakeShop('ord');
    const outcomes = await runScenario(scenario.steps, shop.send, 'r1');
    expect(outcomes.map((o) => o.response?.status)).toEqual([200, 201, 200, 200, 400, 200, 200]);
    expect(shop.seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /products',
      'POST /orders',
      'GET /orders/ord_1',
      'POST /orders',
      'POST /orders',
      'POST /orders/ord_1/cancel',
      'GET /orders?customerId=compare-r1&page=1',
    ]);
    expect(shop.seen[1]!.headers).toEqual({ 'Idempotency-Key': 'compare-r1', 'content-type': 'application/json' });
    expect(JSON.parse(shop.seen[1]!.body!)).toEqual({ customerId: 'compare-r1', items: [{ sku: 'tea-green', quantity: 1 }] });
    expect(latencies(outcomes)).toEqual([3, 3, 3, 3, 1, 3, 3]);
  });

  it('keeps going after a failed step, and explains the steps it could not send', async () => {
    const send: Send = async (request) => {
      if (request.method === 'POST' && request.path === '/orders') throw new Error('The stage has stopped.');
      return { status: 200, headers: {}, body: '[]', ms: 1 };
    };
    const outcomes = await runScenario(scenario.steps, send, 'r2');
    expect(outcomes[1]).toMatchObject({ problem: 'The stage has stopped.' });
    expect(outcomes[2]).toEqual({ problem: 'Not sent: No value is known yet for {lastOrderId}.' });
    expect(outcomes[6]!.response?.status).toBe(200);
    expect(latencies(outcomes)).toHaveLength(2);
  });
});

describe('allowedStatuses', () => {
  it('says the statuses a step allows in words', () => {
    expect([[200], [201, 202], [200, 201, 202]].map((codes) => allowedStatuses({ expect: codes }))).toEqual(['200', '201 or 202', '200, 201 or 202']);
  });
});

describe('pairOutcomes', () => {
  it('lines up both stages per step: statuses against the contract, bodies without ids and times', async () => {
    const from = await runScenario(scenario.steps, fakeShop('ord').send, 'r3');
    const to = await runScenario(scenario.steps, fakeShop('x9', { pendingOrders: true }).send, 'r3');
    const rows = pairOutcomes(scenario, from, to);
    expect(rows.map((r) => [r.step.label, r.from.status, r.to.status, r.from.expected && r.to.expected])).toEqual([
      ['List products', 200, 200, true],
      ['Place an order', 201, 202, true],
      ['Get the order', 200, 200, true],
      ['Replay the order (same Idempotency-Key)', 200, 200, true],
      ['An invalid order (no items)', 400, 400, true],
      ['Cancel the order', 200, 200, true],
      ['The customer’s orders', 200, 200, true],
    ]);
    expect(rows[0]!.bodies).toEqual({ same: true, differences: [], ignored: [] });
    expect(rows[1]!.bodies).toEqual({ same: false, differences: ['status'], ignored: ['createdAt', 'id'] });
    expect(rows[4]!.bodies).toEqual({ same: true, differences: [], ignored: ['error.message'] });
    expect(rows[5]!.bodies?.same).toBe(true);
  });

  it('marks a side without an answer, and compares no bodies then', () => {
    const rows = pairOutcomes(scenario, [{ problem: 'boom' }], [{ response: { status: 500, headers: {}, body: '{}', ms: 2 } }]);
    expect(rows[0]).toMatchObject({ from: { expected: false, problem: 'boom' }, to: { status: 500, expected: false } });
    expect(rows[0]!.bodies).toBeUndefined();
    expect(rows[1]!.from.problem).toBe('No answer');
  });
});
