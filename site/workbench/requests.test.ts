import { describe, expect, it } from 'vitest';
import { fillPlaceholders, formToRequest, missingPlaceholders, orderIdIn, parseHeaders, toForm } from './requests.ts';

describe('ready-made requests', () => {
  it('fill the form with pretty JSON and one header a line', () => {
    const form = toForm({ label: 'x', method: 'POST', path: '/orders', headers: { 'Idempotency-Key': 'k1' }, body: { customerId: 'ada' } });
    expect(form).toEqual({ method: 'POST', path: '/orders', headers: 'Idempotency-Key: k1', body: '{\n  "customerId": "ada"\n}' });
    expect(toForm({ label: 'x', method: 'POST', path: '/orders', body: '{not json' }).body).toBe('{not json');
  });

  it('fill {lastOrderId} when known and name it when not', () => {
    expect(fillPlaceholders('/orders/{lastOrderId}/cancel', { lastOrderId: 'ord_3' })).toBe('/orders/ord_3/cancel');
    expect(fillPlaceholders('/orders/{lastOrderId}', {})).toBe('/orders/{lastOrderId}');
    expect(missingPlaceholders('/orders/{lastOrderId}?x={lastOrderId}', {})).toEqual(['lastOrderId']);
    expect(missingPlaceholders('/orders/{lastOrderId}', { lastOrderId: 'ord_1' })).toEqual([]);
  });

  it('become the request they send: placeholders filled, a body typed as JSON, mistakes named', () => {
    const ready = { label: 'x', method: 'POST' as const, path: '/orders/{lastOrderId}/cancel', headers: { 'Idempotency-Key': 'k-{run}' }, body: { reason: 'r' } };
    expect(formToRequest(toForm(ready), { lastOrderId: 'ord_2', run: '7' })).toEqual({
      method: 'POST',
      path: '/orders/ord_2/cancel',
      headers: { 'Idempotency-Key': 'k-7', 'content-type': 'application/json' },
      body: '{\n  "reason": "r"\n}',
    });
    expect(formToRequest({ method: 'GET', path: ' /products ', headers: 'Content-Type: text/plain', body: '' }, {})).toEqual({ method: 'GET', path: '/products', headers: { 'Content-Type': 'text/plain' } });
    expect(() => formToRequest(toForm(ready), { run: '7' })).toThrow('No value is known yet for {lastOrderId}.');
    expect(() => formToRequest({ method: 'GET', path: 'products', headers: '', body: '' }, {})).toThrow(/must start with "\/"/);
  });

  it('parse headers and refuse a line without a colon', () => {
    expect(parseHeaders('Idempotency-Key: a:b\n\n  X-Y:z ')).toEqual({ 'Idempotency-Key': 'a:b', 'X-Y': 'z' });
    expect(() => parseHeaders('oops')).toThrow(/Name: value/);
  });

  it('find the order id in an order or in a page of orders', () => {
    expect(orderIdIn('{"id":"ord_1","items":[],"status":"confirmed"}')).toBe('ord_1');
    expect(orderIdIn('{"items":[{"id":"ord_9","items":[]}],"page":1}')).toBe('ord_9');
    expect(orderIdIn('[{"sku":"mug"}]')).toBeUndefined();
    expect(orderIdIn('not json')).toBeUndefined();
  });
});
