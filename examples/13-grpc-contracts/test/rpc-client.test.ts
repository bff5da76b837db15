// The orchestrator's RPC clients against the real payments server (in this process): over gRPC
// (HTTP/2) and over the Connect protocol (HTTP/1.1, the fallback where node:http2 is missing,
// forced here); stage 7's policy on gRPC status codes; and a client generated from the
// PREVIOUS contract (test/gen-previous/) still working against today's server.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { closedPort } from '../../contract/src/launch.ts';
import { chooseProtocol, failureOf, rpcTransport } from '../src/adapters/rpc-client.ts';
import type { RpcProtocol } from '../src/adapters/rpc-client.ts';
import { RpcSagaPayments } from '../src/adapters/rpc-saga-services.ts';
import { PaymentsService as PreviousPaymentsService, PaymentStatus as PreviousStatus } from './gen-previous/shop/payments/v1/payments_pb.js';
import { startPayments } from './rpc-support.ts';

let service: Awaited<ReturnType<typeof startPayments>>;
let requests = 0;

before(async () => {
  service = await startPayments();
  // every RPC asks the fault injector first: a count of requests that reached the service
  const decide = service.faults.decide.bind(service.faults);
  service.faults.decide = () => {
    requests += 1;
    return decide();
  };
});
after(() => service.stop());

it('the probe picks gRPC where node:http2 works, and RPC_PROTOCOL forces either', async () => {
  assert.equal(await chooseProtocol({}), 'grpc');
  assert.equal(await chooseProtocol({ RPC_PROTOCOL: 'connect' }), 'connect');
});

for (const protocol of ['grpc', 'connect'] as RpcProtocol[]) {
  describe(`the saga's payments client over ${protocol}`, () => {
    const policy = { timeoutMs: 300, attempts: 2, baseMs: 10, capMs: 20 };
    const client = () => new RpcSagaPayments(service.url, protocol, policy);

    it('charges once per idempotency key, however often it is asked', async () => {
      const charges = service.payments.charges;
      assert.equal(await client().charge(`charge-${protocol}`, `ord_${protocol}`, 700), 'captured');
      assert.equal(await client().charge(`charge-${protocol}`, `ord_${protocol}`, 700), 'captured');
      assert.equal(service.payments.charges - charges, 1);
      assert.equal(await client().charge(`charge-${protocol}-9999`, `ord_${protocol}_9999`, 9999), 'declined');
    });

    it('INVALID_ARGUMENT and FAILED_PRECONDITION are a decline, asked once (never retried)', async () => {
      let before = requests;
      assert.equal(await client().charge(`charge-${protocol}-zero`, `ord_${protocol}_zero`, 0), 'declined');
      assert.equal(requests - before, 1);
      before = requests;
      assert.equal(await client().charge(`charge-${protocol}`, `ord_${protocol}`, 701), 'declined', 'the key was used for 700');
      assert.equal(requests - before, 1);
    });

    it('UNAVAILABLE is tried again with backoff, up to the policy\'s attempts', async () => {
      service.faults.set({ errorRate: 1 });
      const before = requests;
      try {
        await assert.rejects(client().charge(`charge-${protocol}-down`, `ord_${protocol}_down`, 100), (error: unknown) => error instanceof ConnectError && error.code === Code.Unavailable);
      } finally {
        service.faults.set({ errorRate: 0 });
      }
      assert.equal(requests - before, 2);
    });

    it('a deadline passed is DEADLINE_EXCEEDED, a timeout: tried again, then given up', async () => {
      service.faults.set({ latencyMs: 1_000 });
      const before = requests;
      const started = Date.now();
      try {
        await assert.rejects(client().charge(`charge-${protocol}-slow`, `ord_${protocol}_slow`, 100), (error: unknown) => error instanceof ConnectError && error.code === Code.DeadlineExceeded);
      } finally {
        service.faults.set({ latencyMs: 0 });
      }
      assert.equal(requests - before, 2);
      assert.ok(Date.now() - started < 1_500, `two attempts of 300 ms, not the service's 1 s each (${Date.now() - started} ms)`);
    });

    it('a service nobody listens for is UNAVAILABLE: to stage 7\'s policy a connection failure, tried again', async () => {
      const away = new RpcSagaPayments(`http://127.0.0.1:${await closedPort()}`, protocol, policy);
      await assert.rejects(away.charge(`charge-${protocol}-away`, `ord_${protocol}_away`, 100), (error: unknown) => error instanceof ConnectError && error.code === Code.Unavailable && failureOf(error).kind === 'connection');
    });

    // #region old-client
    it('a client generated from the previous contract still works against today\'s server', async () => {
      const old = createClient(PreviousPaymentsService, rpcTransport(service.url, protocol));
      const answer = await old.charge({ orderId: `ord_old_${protocol}`, amountCents: 300 }, { headers: { 'idempotency-key': `charge-old-${protocol}` } });
      assert.equal(answer.status, PreviousStatus.CAPTURED);
      assert.equal(answer.orderId, `ord_old_${protocol}`);
      assert.ok(!('amountCents' in answer), 'the old client does not know field 3, and skips it');
    });
    // #endregion old-client
  });
}
