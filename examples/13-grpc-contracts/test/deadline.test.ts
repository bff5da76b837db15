// Deadlines propagate: the gateway says how long a request has (X-Deadline-Ms), the shop keeps
// that as the order's deadline with its saga, and each forward step's RPC gets min(2 s, time
// left) as its grpc-timeout, so payments (and the client) stop at the order's deadline, not
// at the per-call 2 s. The RPC part runs against the stage's real payments server, over gRPC
// and over the Connect protocol.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Code, ConnectError } from '@connectrpc/connect';
import type { RpcProtocol } from '../src/adapters/rpc-client.ts';
import { RpcSagaPayments, sagaRpcPolicy } from '../src/adapters/rpc-saga-services.ts';
import { deadlineMs } from '../src/adapters/gateway.ts';
import { ORDER_BUDGET_MS, orderDeadline, startSaga } from '../src/modules/orders/saga/model.ts';
import { validateDeadlineHeader } from '../src/modules/orders/index.ts';
import { startPayments } from './rpc-support.ts';

let service: Awaited<ReturnType<typeof startPayments>>;
let requests = 0;
before(async () => {
  service = await startPayments();
  const decide = service.faults.decide.bind(service.faults);
  service.faults.decide = () => {
    requests += 1;
    return decide();
  };
});
after(() => service.stop());

const isDeadlineExceeded = (error: unknown) => error instanceof ConnectError && error.code === Code.DeadlineExceeded;

for (const protocol of ['grpc', 'connect'] as RpcProtocol[]) {
  describe(`the order's deadline on the charge, over ${protocol}`, () => {
    // the orchestrator's own policy: 2 s per call, two attempts
    const client = () => new RpcSagaPayments(service.url, protocol, sagaRpcPolicy);

    it('with 300 ms left and payments taking 1 s: DEADLINE_EXCEEDED at the deadline, not after the per-call 2 s, and no card charged', async () => {
      service.faults.set({ latencyMs: 1_000 });
      const charges = service.payments.charges;
      const started = Date.now();
      try {
        await assert.rejects(client().charge(`deadline-${protocol}`, `ord_deadline_${protocol}`, 500, started + 300), isDeadlineExceeded);
      } finally {
        service.faults.set({ latencyMs: 0 });
      }
      const took = Date.now() - started;
      assert.ok(took >= 250 && took < 900, `stopped at the order's deadline (300 ms), took ${took} ms`);
      // payments saw the deadline too: once it had passed, it did not charge
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.equal(service.payments.charges, charges, 'no charge for a caller who stopped waiting');
    });

    it('with the deadline already passed, nothing is sent', async () => {
      const before = requests;
      await assert.rejects(client().charge(`late-${protocol}`, `ord_late_${protocol}`, 500, Date.now() - 1), isDeadlineExceeded);
      assert.equal(requests, before);
    });

    it('with time to spare, the per-call 2 s stands and the charge goes through', async () => {
      assert.equal(await client().charge(`spare-${protocol}`, `ord_spare_${protocol}`, 500, Date.now() + 60_000), 'captured');
    });
  });
}

describe("the request's deadline, from the gateway to the saga", () => {
  it('the gateway passes on its own wait, or the client\'s if shorter', () => {
    assert.equal(deadlineMs(undefined, 30_000), 30_000);
    assert.equal(deadlineMs('1500', 30_000), 1_500);
    assert.equal(deadlineMs('90000', 30_000), 30_000);
    assert.equal(deadlineMs('soon', 30_000), 30_000);
  });

  it('the shop reads X-Deadline-Ms, refusing what is not a number of milliseconds', () => {
    assert.equal(validateDeadlineHeader(undefined), undefined);
    assert.equal(validateDeadlineHeader('2500'), 2_500);
    for (const bad of ['0', '-5', '1.5', 'soon', '', ['1', '2']]) assert.throws(() => validateDeadlineHeader(bad), /X-Deadline-Ms/);
  });

  it("the order's deadline is placed-at plus the request's time left, at most the shop's own budget", () => {
    const at = '2026-01-01T00:00:00.000Z';
    assert.equal(orderDeadline(at, 1_500), '2026-01-01T00:00:01.500Z');
    assert.equal(orderDeadline(at, undefined), new Date(Date.parse(at) + ORDER_BUDGET_MS).toISOString());
    assert.equal(orderDeadline(at, 10 * ORDER_BUDGET_MS), new Date(Date.parse(at) + ORDER_BUDGET_MS).toISOString());
    assert.equal(startSaga({ id: 'ord_1', customerId: 'c', lines: [], totalCents: 1 }, at, orderDeadline(at, 1_500)).deadline, '2026-01-01T00:00:01.500Z');
  });
});
