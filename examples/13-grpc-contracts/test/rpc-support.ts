// A payments service for the RPC tests: the stage's own server (createPaymentsServer, with its
// JSON API and its RPCs on one port) in front of an in-memory payments module that counts the
// charges it is asked for. Amounts of 9999 cents are declined.

import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector } from '../src/adapters/faults.ts';
import { createPaymentsServer } from '../src/adapters/payments-api.ts';
import type { Payment, Payments } from '../src/modules/payments/index.ts';

export class CountingPayments implements Payments {
  charges = 0;
  readonly payments: Payment[] = [];
  async charge(orderId: string, amountCents: number): Promise<Payment> {
    this.charges += 1;
    const payment: Payment = { id: `pay_${this.charges}`, orderId, amountCents, status: amountCents === 9999 ? 'declined' : 'captured' };
    this.payments.push(payment);
    return payment;
  }
  async refund(orderId: string): Promise<void> {
    for (const payment of this.payments) if (payment.orderId === orderId && payment.status === 'captured') payment.status = 'refunded';
  }
  async listForOrder(orderId: string): Promise<Payment[]> {
    return this.payments.filter((payment) => payment.orderId === orderId);
  }
}

export async function startPayments(): Promise<{ url: string; port: number; payments: CountingPayments; faults: FaultInjector; server: http.Server; stop: () => Promise<void> }> {
  const payments = new CountingPayments();
  const faults = new FaultInjector();
  const server = createPaymentsServer({ real: payments, shadow: new CountingPayments(), faults }, () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${port}`, port, payments, faults, server, stop };
}

