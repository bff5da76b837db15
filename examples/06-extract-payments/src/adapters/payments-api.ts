// The payments service's HTTP API: the payments module's interface, one route per method.
// HttpPayments (src/adapters/http-payments.ts) is its client. Requests marked `x-shadow: 1`
// go to the shadow instance, which answers the same way and changes nothing. PUT
// /ops/planted-bug switches chapter 6's planted rounding bug (planted-bug.ts) on or off.

import type http from 'node:http';
import type { Payments } from '../modules/payments/index.ts';
import { invalid } from '../shared/errors.ts';
import { isIntegerBetween, isObject } from '../shared/validate.ts';
import { HttpError, jsonServer, readJson, requestUrl, requiredParam } from './http.ts';
import { chargedAmount, validatePlanted, type Planted } from './planted-bug.ts';

function orderIdOf(body: unknown): string {
  if (!isObject(body) || typeof body.orderId !== 'string' || body.orderId.length < 1 || body.orderId.length > 64) {
    throw invalid('orderId must be a string of 1-64 characters');
  }
  return body.orderId;
}

// #region payments-api
export function createPaymentsServer(
  payments: { real: Payments; shadow: Payments },
  log: (line: string) => void = (line) => console.log(line),
  planted: Planted = { rounding: false },
): http.Server {
  return jsonServer(async (req) => {
    const url = requestUrl(req);
    const route = `${req.method} ${url.pathname}`;
    const target = req.headers['x-shadow'] === '1' ? payments.shadow : payments.real;

    if (route === 'GET /health') return { status: 200, body: { status: 'ok' } };
    if (route === 'POST /charges') {
      const body = await readJson(req);
      const orderId = orderIdOf(body);
      const amountCents = isObject(body) ? body.amountCents : undefined;
      if (!isIntegerBetween(amountCents, 1, 1_000_000_000)) throw invalid('amountCents must be a positive integer');
      // The processor gets a key made from the charge (one order, one amount): if this
      // service dies after the card is charged and before the payment is recorded, the
      // shop's retry reaches the processor under the same key and is not charged again.
      const payment = await target.charge(orderId, chargedAmount(amountCents, planted), `charge-${orderId}-${amountCents}`);
      if (target === payments.real) log(`charged ${orderId} ${payment.amountCents} cents: ${payment.status}`);
      return { status: 201, body: payment };
    }
    if (route === 'POST /refunds') {
      const orderId = orderIdOf(await readJson(req));
      await target.refund(orderId);
      if (target === payments.real) log(`refunded ${orderId}`);
      return { status: 200, body: { refunded: true } };
    }
    if (route === 'PUT /ops/planted-bug') {
      planted.rounding = validatePlanted(await readJson(req)).rounding;
      log(planted.rounding ? 'planted bug ON: charges are rounded up to whole euros' : 'planted bug off: charges are the amount asked');
      return { status: 200, body: { ...planted } };
    }
    if (route === 'GET /payments') {
      return { status: 200, body: await target.listForOrder(requiredParam(url, 'orderId')) };
    }
    throw new HttpError(404, 'not_found', `no route for ${route}`);
  });
}
// #endregion payments-api
