// In-memory adapters for the repository ports: everything lives in the process and is gone
// when it stops. The shop runs on them in this stage, and the domain's unit tests use them
// in every stage, because they need no setup and do no I/O.
//
// They hand out copies, never the objects they keep: a caller that changes what it got
// back must not change what is stored, just as with a real database.

import type { Notification, Order, OrderLine, OrderStatus, Payment, Product, RejectReason } from '../domain/model.ts';
import type {
  IdempotencyKey,
  NotificationRepository,
  OrderRepository,
  PaymentRepository,
  ProductRepository,
} from '../domain/ports.ts';

const copy = <T>(value: T): T => structuredClone(value);

// #region reserve-in-memory
export class InMemoryProducts implements ProductRepository {
  private products = new Map<string, Product>();

  constructor(seed: Product[] = []) {
    for (const product of seed) this.products.set(product.sku, copy(product));
  }

  async list(): Promise<Product[]> {
    const products = [...this.products.values()].map(copy);
    return products.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  }

  async get(sku: string): Promise<Product | undefined> {
    const product = this.products.get(sku);
    return product && copy(product);
  }

  async add(product: Product): Promise<boolean> {
    if (this.products.has(product.sku)) return false;
    this.products.set(product.sku, copy(product));
    return true;
  }

  // Check every line, then subtract. Nothing between the check and the subtraction awaits
  // anything, so Node runs both without letting another request in: two buyers can never
  // both see "1 left" and both take it. This is the promise the port makes; a database
  // adapter has to keep it with a transaction and row locks instead.
  async reserve(lines: OrderLine[]): Promise<boolean> {
    const short = lines.find((line) => (this.products.get(line.sku)?.stock ?? 0) < line.quantity);
    if (short) return false;
    for (const line of lines) {
      const product = this.products.get(line.sku);
      if (product) product.stock -= line.quantity;
    }
    return true;
  }

  async release(lines: OrderLine[]): Promise<void> {
    for (const line of lines) {
      const product = this.products.get(line.sku);
      if (product) product.stock += line.quantity;
    }
  }
}
// #endregion reserve-in-memory

export class InMemoryOrders implements OrderRepository {
  // A Map remembers the order in which entries were added, which the order listing relies
  // on for "newest first".
  private orders = new Map<string, Order>();
  private idempotencyKeys = new Map<string, { fingerprint: string; orderId: string }>();

  async add(order: Order, idempotency?: IdempotencyKey) {
    if (idempotency) {
      const earlier = this.idempotencyKeys.get(idempotency.key);
      const earlierOrder = earlier && this.orders.get(earlier.orderId);
      if (earlier && earlierOrder) return { fingerprint: earlier.fingerprint, order: copy(earlierOrder) };
      this.idempotencyKeys.set(idempotency.key, { fingerprint: idempotency.fingerprint, orderId: order.id });
    }
    this.orders.set(order.id, copy(order));
    return undefined;
  }

  async get(id: string): Promise<Order | undefined> {
    const order = this.orders.get(id);
    return order && copy(order);
  }

  async listByCustomer(customerId: string, offset: number, limit: number): Promise<Order[]> {
    const mine = [...this.orders.values()].filter((o) => o.customerId === customerId).reverse();
    return mine.slice(offset, offset + limit).map(copy);
  }

  async changeStatus(id: string, from: OrderStatus, to: OrderStatus, reason?: RejectReason): Promise<boolean> {
    const order = this.orders.get(id);
    if (!order || order.status !== from) return false;
    order.status = to;
    if (reason) order.reason = reason;
    return true;
  }
}

export class InMemoryPayments implements PaymentRepository {
  private payments: Payment[] = [];

  async add(payment: Payment): Promise<void> {
    this.payments.push(copy(payment));
  }

  async listByOrder(orderId: string): Promise<Payment[]> {
    return this.payments.filter((p) => p.orderId === orderId).map(copy);
  }

  async markRefunded(orderId: string): Promise<Payment[]> {
    const refunded: Payment[] = [];
    for (const payment of this.payments) {
      if (payment.orderId === orderId && payment.status === 'captured') {
        payment.status = 'refunded';
        refunded.push(copy(payment));
      }
    }
    return refunded;
  }
}

export class InMemoryNotifications implements NotificationRepository {
  private notifications: Notification[] = [];

  async add(notification: Notification): Promise<void> {
    this.notifications.push(copy(notification));
  }

  async listByCustomer(customerId: string): Promise<Notification[]> {
    return this.notifications.filter((n) => n.customerId === customerId).map(copy);
  }
}
