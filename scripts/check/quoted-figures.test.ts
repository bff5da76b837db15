import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bodySettings, checkQuotedFigures, checkableNumbers, quotedOutput, uncheckedQuotedFigures } from './quoted-figures.ts';

const root = new URL('../../', import.meta.url).pathname;
const numbers = (found: string[]) => found.map((f) => f.split('" in')[0]!.replace(/^"/, ''));

describe('numbers in request bodies and quoted output are asserted by the lesson spec', () => {
  it('exempts 0 and 1, names, ports, addresses, status codes and codes with a leading zero', () => {
    expect(checkableNumbers('shop ready on http://127.0.0.1:3000 (3 processes: shop-1 :4000, worker-2 :5100)')).toEqual(['3']);
    expect(checkableNumbers('201 Created, 429 rate_limited, answered 503 …; retry 1 of 3 in 57 ms')).toEqual(['3', '57']);
    expect(checkableNumbers('migrations applied: 003-payments.sql, class 08, ord_1, PORT+200, {"paymentsService":0,"x":1}')).toEqual([]);
    expect(checkableNumbers('Total: $120.00. 300 ms, 100 g, 12,000 cents')).toEqual(['$120.00', '300', '100', '12,000']);
  });

  it('reads the settings of request bodies, leaving quantities, 0, 1 and booleans alone', () => {
    const chapter = [
      '---',
      'requests:',
      '  - { label: Order, method: POST, path: /orders, body: { customerId: ada, items: [{ sku: mug-blue, quantity: 10 }] } }',
      '  - { label: Slow, method: PUT, path: /ops/faults, body: { latencyMs: 300, errorRate: 0, dropRate: 1, keys: true } }',
      '  - { label: Limit, method: PUT, path: /ops/rate-limit, body: { burst: 5, perSecond: 0.1 } }',
      '---',
      'Body.',
    ].join('\n');
    expect(bodySettings(chapter)).toEqual(['latencyMs: 300', 'burst: 5', 'perSecond: 0.1']);
  });

  it('finds output in text blocks and answer-shaped inline code, not in commands, code or exercises', () => {
    const chapter = [
      '---\ntitle: x\n---',
      'Run `SHOP_REPLICAS=3 npm start` and `PORT+1000`; the order says `"totalCents": 10800`, the log',
      '`payments: retry 1 of 3 in 57 ms`, and Stock shows `549000`.',
      '```text\nshop ready (4 processes)\n```',
      '```sh\ncurl -s localhost:3000/orders | head -20\n```',
      '## Exercise: more',
      '```text\nOrder ord_7 is confirmed: 2 × Blue mug. Total: $24.00.\n```',
    ].join('\n');
    expect(quotedOutput(chapter)).toEqual(['shop ready (4 processes)', '"totalCents": 10800', 'payments: retry 1 of 3 in 57 ms', '549000']);
  });

  it('passes a number the spec asserts beside the same word, and flags a planted one', () => {
    const chapter = [
      '---',
      'requests:',
      '  - { label: Slow, method: PUT, path: /ops/faults, body: { latencyMs: 300 } }',
      '---',
      'The order says `"totalCents": 10800` and `email to ada: Order ord_1 is confirmed. Total: $120.00.`;',
      'the log says `payments: the payments service answered 503 …; retry 1 of 3 in N ms`.',
    ].join('\n');
    const spec = [
      "await send('Slow', '\"latencyMs\": 300');",
      "expect(bulk).toContain('\"totalCents\": 10800');",
      'await expect(output).toContainText(/email to ada: Order ord_\\w+ is confirmed\\. Total: \\$120\\.00\\./);',
      'await expect(output).toContainText(/payments: .*; retry 1 of 3 in \\d+ ms/);',
    ].join('\n');
    expect(uncheckedQuotedFigures(chapter, [spec])).toEqual([]);
    // planted: a number typed into quoted output, a changed body, a number the spec has elsewhere
    const planted = chapter
      .replace('in N ms', 'in 57 ms')
      .replace('latencyMs: 300', 'latencyMs: 500')
      .replace('"totalCents": 10800', '"totalCents": 10900');
    expect(numbers(uncheckedQuotedFigures(planted, [spec]))).toEqual(['request body latencyMs: 500', '10900', '57']);
    // no spec at all: every number is typed by hand
    expect(uncheckedQuotedFigures(chapter, [])).toHaveLength(4);
  });

  it('the chapters have none', () => {
    expect(checkQuotedFigures(join(root, 'chapters'), join(root, 'tests', 'e2e', 'lessons')).problems).toEqual([]);
  });
});
