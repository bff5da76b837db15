// Checks this chapter's exercise: orders get a bucket of their own. Placing an order costs a
// saga and a card charge; reading the catalogue costs almost nothing. Give POST /orders a
// second, smaller token bucket per client at the gateway (5 at once, then 1 per second), on
// top of the general one, so a client placing orders in a loop gets 429 rate_limited with a
// Retry-After while its reads still pass.
//
// Run it with `npm run check:exercise`. It starts the gateway of src/adapters/gateway.ts in
// this process, in front of a stand-in shop that answers every request, and sends it
// requests as one client would.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGateway } from '../src/adapters/gateway.ts';
import { DEV_JWT_SECRET } from '../src/adapters/ops-auth.ts';
import { createLogger } from '../src/observability/logger.ts';
import { Registry } from '../src/observability/metrics.ts';
import { setupTracing } from '../src/observability/tracing.ts';

const shop = http.createServer((req, res) => {
  req.resume();
  req.once('end', () => res.writeHead(req.method === 'POST' ? 202 : 200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
const upstream = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;

const gateway = createGateway({
  upstreams: { shop: upstream, payments: upstream, collector: upstream },
  secret: DEV_JWT_SECRET,
  limits: { burst: 200, perSecond: 100 }, // the stage's general limits
  kit: { log: createLogger('gateway', { write: () => {} }), metrics: new Registry(), tracing: setupTracing({ service: 'gateway' }) },
});
await new Promise<void>((resolve) => gateway.server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;

const order = () =>
  fetch(`${base}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"customerId":"ada","items":[{"sku":"mug-blue","quantity":1}]}' });
const problems: string[] = [];

try {
  const first = [];
  for (let i = 0; i < 5; i++) first.push((await order()).status);
  if (first.some((status) => status !== 202)) problems.push(`the first 5 orders in a row: expected 202 each, got ${first.join(', ')}`);

  const sixth = await order();
  const body = (await sixth.json().catch(() => ({}))) as { error?: { code?: string } };
  if (sixth.status !== 429) problems.push(`the 6th POST /orders in a row: expected 429, got ${sixth.status}`);
  else {
    if (body.error?.code !== 'rate_limited') problems.push(`the 429's body: expected error.code rate_limited, got ${JSON.stringify(body)}`);
    const retry = Number(sixth.headers.get('retry-after'));
    if (!(Number.isInteger(retry) && retry >= 1 && retry <= 2)) problems.push(`the 429's Retry-After: expected 1 or 2 seconds at 1 order per second, got ${sixth.headers.get('retry-after')}`);
  }

  const reads = [];
  for (let i = 0; i < 20; i++) reads.push((await fetch(`${base}/products`)).status);
  if (reads.some((status) => status !== 200)) problems.push(`20 GET /products after the orders: expected 200 each, got ${[...new Set(reads)].join(', ')}`);

  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const later = await order();
  if (later.status !== 202) problems.push(`an order 1.1 s later (a token is back): expected 202, got ${later.status}`);
} finally {
  gateway.stop();
  gateway.server.closeAllConnections();
  gateway.server.close();
  shop.close();
}

if (problems.length > 0) {
  console.error('✘ exercise not solved yet:');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log('✔ exercise solved: a client gets 5 orders at once, then one a second, and its reads are not held back by its orders.');
