// Real gRPC, proven by another implementation: @grpc/grpc-js (Google's gRPC for Node) with
// @grpc/proto-loader, reading the stage's .proto file at run time (no generated code of
// ours), calls the payments service over HTTP/2. If the service only looked like gRPC, this
// client would refuse its answers: it checks the framing, the trailers and the status codes.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { grpcJsPayments } from './grpc-js-client.ts';
import { startPayments } from './rpc-support.ts';

let service: Awaited<ReturnType<typeof startPayments>>;
let client: ReturnType<typeof grpcJsPayments>;

before(async () => {
  service = await startPayments();
  client = grpcJsPayments(service.port);
});
after(async () => {
  client.close();
  await service.stop();
});

const charge = (request: object, key?: string, deadlineMs?: number) => client.charge(request, key, deadlineMs);

describe('grpc-js calls the payments service over HTTP/2', () => {
  it('charges, and the same idempotency key (metadata) gets the same answer, not a second charge', async () => {
    const first = await charge({ orderId: 'ord_interop', amountCents: 1250 }, 'charge-interop');
    assert.equal(first.error, undefined);
    assert.equal(first.reply?.status, 'PAYMENT_STATUS_CAPTURED');
    assert.equal(first.reply?.amountCents, 1250);
    const again = await charge({ orderId: 'ord_interop', amountCents: 1250 }, 'charge-interop');
    assert.equal(again.reply?.paymentId, first.reply?.paymentId);
    assert.equal(service.payments.charges, 1, 'one charge for two calls with one key');
  });

  it('a bad request is INVALID_ARGUMENT, a key reused for another charge FAILED_PRECONDITION', async () => {
    const bad = await charge({ orderId: 'ord_bad', amountCents: 0 }, 'charge-bad');
    assert.equal(bad.error?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(bad.error?.details ?? '', /amount_cents/);
    const reused = await charge({ orderId: 'ord_interop', amountCents: 999 }, 'charge-interop');
    assert.equal(reused.error?.code, grpc.status.FAILED_PRECONDITION);
  });

  it('a deadline shorter than the service takes is DEADLINE_EXCEEDED', async () => {
    service.faults.set({ latencyMs: 600 });
    try {
      const started = Date.now();
      const late = await charge({ orderId: 'ord_late', amountCents: 100 }, 'charge-late', 150);
      assert.equal(late.error?.code, grpc.status.DEADLINE_EXCEEDED);
      assert.ok(Date.now() - started < 550, 'the client gave up at its deadline, not when the service answered');
    } finally {
      service.faults.set({ latencyMs: 0 });
    }
  });

  it('a failure before any work is UNAVAILABLE', async () => {
    service.faults.set({ errorRate: 1 });
    try {
      const failed = await charge({ orderId: 'ord_down', amountCents: 100 }, 'charge-down');
      assert.equal(failed.error?.code, grpc.status.UNAVAILABLE);
    } finally {
      service.faults.set({ errorRate: 0 });
    }
  });

  it('the same port still answers HTTP/1.1 with JSON', async () => {
    const answer = await fetch(`${service.url}/payments?orderId=ord_interop`);
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as unknown[]).length, 1);
  });
});
