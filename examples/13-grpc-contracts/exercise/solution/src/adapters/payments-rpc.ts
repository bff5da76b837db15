// Stage 13: the payments service's RPCs (proto/shop/payments/v1/payments.proto), the saga's
// way in. They run the very charge and refund the JSON API runs (src/adapters/payments-api.ts),
// with the same idempotency keys and injected faults; what changes is the envelope: typed
// messages, metadata for the key, and gRPC status codes for the errors.

import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { ChargeResponseSchema, GetPaymentResponseSchema, PaymentsService, PaymentStatus, RefundResponseSchema } from '../gen/shop/payments/v1/payments_pb.js';
import type { Payment } from '../modules/payments/index.ts';
import { ShopError } from '../shared/errors.ts';
import { isIntegerBetween } from '../shared/validate.ts';
import type { FaultInjector } from './faults.ts';
import type { Reply } from './http.ts';

export type PaymentCommands = {
  charge(orderId: string, amountCents: number, key: string | undefined): Promise<Reply>;
  closeCharge(orderId: string, body: unknown, key: string): Promise<void>;
  refund(orderId: string, key: string | undefined): Promise<void>;
  // the exercise: the order's payments, as GET /payments lists them
  paymentsFor(orderId: string): Promise<Payment[]>;
  faults: FaultInjector;
};

const STATUS: Record<Payment['status'], PaymentStatus> = {
  captured: PaymentStatus.CAPTURED,
  declined: PaymentStatus.DECLINED,
  refunded: PaymentStatus.REFUNDED,
};

// #region payments-rpc
export function paymentsRoutes(commands: PaymentCommands) {
  return (router: ConnectRouter) =>
    router.service(PaymentsService, {
      async charge(req, ctx) {
        const fault = await injectFault(commands.faults);
        // Stage 13: the caller's deadline came as grpc-timeout; once it has passed nobody waits
        // for this answer, so no card is charged for it (the saga gives the charge up, or sends it
        // again under the same key while it still has time).
        if (ctx.signal.aborted) throw new ConnectError('the caller\'s deadline passed before the charge began', Code.DeadlineExceeded);
        const orderId = validOrderId(req.orderId);
        if (!isIntegerBetween(req.amountCents, 1, 1_000_000_000)) throw new ConnectError('amount_cents must be a positive integer', Code.InvalidArgument);
        // The idempotency key is metadata, as Idempotency-Key is a header over HTTP.
        const key = keyOf(ctx);
        const reply = await asStatus(() => commands.charge(orderId, req.amountCents, commands.faults.faults.idempotencyKeys ? key : undefined));
        const payment = reply.body as Payment;
        if (fault.drop) throw lostAnswer();
        return create(ChargeResponseSchema, { paymentId: payment.id, orderId: payment.orderId, amountCents: payment.amountCents, status: STATUS[payment.status] });
      },
      async refund(req, ctx) {
        const fault = await injectFault(commands.faults);
        const orderId = validOrderId(req.orderId);
        const key = keyOf(ctx);
        await asStatus(async () => {
          if (key !== undefined) await commands.closeCharge(orderId, { amountCents: req.amountCents }, key);
          await commands.refund(orderId, key);
        });
        if (fault.drop) throw lostAnswer();
        return create(RefundResponseSchema, { refunded: true });
      },
      // The exercise: the order's payment as it stands (the latest, when a retry under a new key
      // made another), or NOT_FOUND. Reading changes nothing, so faults and keys play no part.
      async getPayment(req) {
        const orderId = validOrderId(req.orderId);
        const payment = (await commands.paymentsFor(orderId)).at(-1);
        if (!payment) throw new ConnectError(`no payment for order ${orderId}`, Code.NotFound);
        return create(GetPaymentResponseSchema, { paymentId: payment.id, orderId: payment.orderId, amountCents: payment.amountCents, status: STATUS[payment.status] });
      },
    });
}
// #endregion payments-rpc

function keyOf(ctx: HandlerContext): string | undefined {
  const key = ctx.requestHeader.get('idempotency-key') ?? undefined;
  if (key !== undefined && (key.length < 1 || key.length > 200)) throw new ConnectError('idempotency-key must be 1-200 characters', Code.InvalidArgument);
  return key;
}

function validOrderId(orderId: string): string {
  if (orderId.length < 1 || orderId.length > 64) throw new ConnectError('order_id must be 1-64 characters', Code.InvalidArgument);
  return orderId;
}

// #region status-codes
// The module's errors as gRPC status codes: a request the rules refuse is INVALID_ARGUMENT, a
// key already used for another charge FAILED_PRECONDITION; neither is worth sending again.
async function asStatus<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ShopError) {
      throw new ConnectError(error.message, error.code === 'idempotency_key_reused' ? Code.FailedPrecondition : Code.InvalidArgument);
    }
    throw error;
  }
}

// The faults of PUT /ops/faults, as the network would show them to gRPC: a failure before any
// work is UNAVAILABLE, the one status a client may always try again.
async function injectFault(faults: FaultInjector): Promise<{ drop: boolean }> {
  const fault = faults.decide();
  if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault.fail) throw new ConnectError('fault injection: this request failed before any work was done', Code.Unavailable);
  return fault;
}

// A dropped answer (dropRate): the work is done, but the caller never hears so; over HTTP the
// connection was cut, here the call ends UNAVAILABLE, and the caller's retry meets the key.
function lostAnswer(): ConnectError {
  return new ConnectError('fault injection: the work was done, but its answer was lost', Code.Unavailable);
}
// #endregion status-codes
