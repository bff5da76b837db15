// The saga's payments client takes a 4xx as the service's final word on a charge: the saga
// gets 'declined' (and gives the stock back) instead of retrying the charge, then the
// refund, for ever. A 5xx is still a failure the saga runner tries again.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HttpSagaPayments } from '../src/adapters/saga-services.ts';

let server: http.Server;
let url: string;
let charges = 0;

// A payments service that refuses amounts above its limit and fails on amount 13.
before(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      charges += 1;
      const { orderId, amountCents } = JSON.parse(text) as { orderId: string; amountCents: number };
      const [status, body] =
        amountCents > 1_000_000_000
          ? [400, { error: { code: 'invalid_request', message: 'amountCents must be a positive integer' } }]
          : amountCents === 13
            ? [500, { error: { code: 'internal', message: 'something went wrong on our side' } }]
            : [201, { id: `pay-${charges}`, orderId, amountCents, status: 'captured' }];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('HttpSagaPayments.charge', () => {
  it('a 4xx is a decline, asked once, and never opens the breaker', async () => {
    const payments = new HttpSagaPayments(url);
    const before = charges;
    for (let i = 0; i < 8; i++) assert.equal(await payments.charge(`charge-big-${i}`, `ord_${i}`, 1_500_000_000), 'declined');
    assert.equal(charges - before, 8, 'one request per charge: no retries');
    assert.equal(await payments.charge('charge-fine', 'ord_fine', 500), 'captured', 'the breaker is still closed');
  });

  it('a 5xx is still an error for the saga runner to retry', async () => {
    const payments = new HttpSagaPayments(url);
    await assert.rejects(payments.charge('charge-13', 'ord_13', 13), /503|unavailable|500/);
  });
});
