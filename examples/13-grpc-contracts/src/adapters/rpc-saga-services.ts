// Stage 13: the saga's commands as RPCs (proto/), in place of stage 9's JSON over HTTP
// (src/adapters/saga-services.ts, kept for the chapter's comparison). Same ports, same keys,
// same answers; the idempotency key is metadata, and a refusal is a status code, not a 4xx.

import { Code, ConnectError } from '@connectrpc/connect';
import type { Client } from '@connectrpc/connect';
import { InventoryService, ReservationStatus } from '../gen/shop/inventory/v1/inventory_pb.js';
import { PaymentsService, PaymentStatus } from '../gen/shop/payments/v1/payments_pb.js';
import type { SagaInventory, SagaPayments } from '../modules/orders/index.ts';
import type { StockLine } from '../modules/inventory/index.ts';
import { callRpc, rpcClient, rpcTransport } from './rpc-client.ts';
import type { RpcPolicy, RpcProtocol } from './rpc-client.ts';

// #region rpc-saga-clients
// Each command has two seconds, or the time the order has left if that is less (its deadline
// travels with it), and one more try when the service was unreachable or too slow; the saga
// runner retries the step after that, until the order's deadline.
export const sagaRpcPolicy: RpcPolicy = { timeoutMs: 2_000, attempts: 2 };

export class RpcSagaInventory implements SagaInventory {
  readonly client: Client<typeof InventoryService>;
  readonly policy: RpcPolicy;
  constructor(baseUrl: string, protocol: RpcProtocol, policy: RpcPolicy = sagaRpcPolicy) {
    this.client = rpcClient(InventoryService, rpcTransport(baseUrl, protocol));
    this.policy = policy;
  }
  async reserve(key: string, lines: StockLine[], deadline?: number) {
    const answer = await callRpc('inventory', 'Reserve', this.policy, {}, (options) => this.client.reserve({ key, lines }, options), deadline);
    if (answer.status === ReservationStatus.RESERVED) return 'reserved';
    if (answer.status === ReservationStatus.OUT_OF_STOCK) return 'out_of_stock';
    if (answer.status === ReservationStatus.UNKNOWN_SKU) return 'unknown_sku';
    throw new ConnectError(`inventory answered a reservation status this client does not know (${answer.status})`, Code.Internal);
  }
  async release(key: string) {
    await callRpc('inventory', 'Release', this.policy, {}, (options) => this.client.release({ key }, options));
  }
}

export class RpcSagaPayments implements SagaPayments {
  readonly client: Client<typeof PaymentsService>;
  readonly policy: RpcPolicy;
  constructor(baseUrl: string, protocol: RpcProtocol, policy: RpcPolicy = sagaRpcPolicy) {
    this.client = rpcClient(PaymentsService, rpcTransport(baseUrl, protocol));
    this.policy = policy;
  }
  // INVALID_ARGUMENT or FAILED_PRECONDITION is the service's final word on this charge: the
  // saga takes it as a decline and gives the stock back, as it took a 4xx in stage 9.
  async charge(key: string, orderId: string, amountCents: number, deadline?: number) {
    try {
      const payment = await callRpc('payments', 'Charge', this.policy, { 'idempotency-key': key }, (options) => this.client.charge({ orderId, amountCents }, options), deadline);
      return payment.status === PaymentStatus.CAPTURED ? 'captured' : 'declined';
    } catch (error) {
      if (error instanceof ConnectError && (error.code === Code.InvalidArgument || error.code === Code.FailedPrecondition)) return 'declined';
      throw error;
    }
  }
  async refund(key: string, orderId: string, amountCents: number) {
    await callRpc('payments', 'Refund', this.policy, { 'idempotency-key': key }, (options) => this.client.refund({ orderId, amountCents }, options));
  }
}
// #endregion rpc-saga-clients
