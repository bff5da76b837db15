// Checks the chapter's exercise: a payments provider that is overloaded answers
// 429 Too Many Requests ("slow down, then try again"). It is a 4xx, but it says nothing
// about the request itself, so it is worth retrying, with the same backoff. Teach
// isRetryable in src/adapters/resilience.ts to retry a 429, and nothing else in 4xx.
//
// Run it with `npm run check:exercise`. It asks isRetryable about each kind of failure,
// then runs HttpPayments against a small server that answers 429 twice and then charges.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpPayments } from '../src/adapters/http-payments.ts';
import { isRetryable } from '../src/adapters/resilience.ts';
import type { Failure } from '../src/adapters/resilience.ts';

const problems: string[] = [];
const expect: [Failure, boolean, string][] = [
  [{ kind: 'status', status: 429 }, true, '429 Too Many Requests'],
  [{ kind: 'status', status: 503 }, true, '503 Service Unavailable'],
  [{ kind: 'timeout' }, true, 'a timeout'],
  [{ kind: 'connection' }, true, 'a lost connection'],
  [{ kind: 'status', status: 400 }, false, '400 Bad Request'],
  [{ kind: 'status', status: 409 }, false, '409 Conflict'],
  [{ kind: 'status', status: 422 }, false, '422 (a reused idempotency key)'],
];
for (const [failure, want, name] of expect) {
  if (isRetryable(failure) !== want) problems.push(`isRetryable says ${name} is ${want ? 'not ' : ''}worth retrying; it ${want ? 'is' : 'is not'}`);
}

if (problems.length === 0) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    res.writeHead(requests <= 2 ? 429 : 201, { 'content-type': 'application/json' });
    res.end(JSON.stringify(requests <= 2 ? { error: { code: 'rate_limited', message: 'slow down' } } : { id: 'pay_1', orderId: 'ord_1', amountCents: 100, status: 'captured' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new HttpPayments({ baseUrl: `http://127.0.0.1:${port}`, resilience: { baseMs: 10, capMs: 50 } });
  try {
    const payment = await client.charge('ord_1', 100);
    if (payment.status !== 'captured') problems.push(`the charge answered ${JSON.stringify(payment)}`);
    if (requests !== 3) problems.push(`HttpPayments sent ${requests} requests; two 429s and a 201 take 3`);
  } catch (error) {
    problems.push(`HttpPayments gave up after ${requests} request(s): ${(error as Error).message}`);
  }
  server.close();
}

if (problems.length > 0) {
  console.log('✘ exercise not solved yet:');
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
console.log('✔ exercise solved: a 429 is retried with backoff; other 4xx answers are not');
