// Private to the payments module: its payments table, read and written with SQL. Only this
// module touches the payments schema.

import type { Database } from '../../shared/ports.ts';

export type Payment = {
  id: string;
  orderId: string;
  amountCents: number;
  status: 'captured' | 'refunded' | 'declined';
};

type PaymentRow = { id: string; order_id: string; amount_cents: number; status: Payment['status'] };
const toPayment = (row: PaymentRow): Payment => ({
  id: row.id,
  orderId: row.order_id,
  amountCents: row.amount_cents,
  status: row.status,
});

export class PostgresPayments {
  private db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async add(payment: Payment): Promise<void> {
    await this.db.query('INSERT INTO payments.payments (id, order_id, amount_cents, status) VALUES ($1, $2, $3, $4)', [
      payment.id,
      payment.orderId,
      payment.amountCents,
      payment.status,
    ]);
  }

  async listByOrder(orderId: string): Promise<Payment[]> {
    const { rows } = await this.db.query<PaymentRow>(
      'SELECT id, order_id, amount_cents, status FROM payments.payments WHERE order_id = $1 ORDER BY position',
      [orderId],
    );
    return rows.map(toPayment);
  }

  async markRefunded(orderId: string): Promise<Payment[]> {
    const { rows } = await this.db.query<PaymentRow>(
      `UPDATE payments.payments SET status = 'refunded' WHERE order_id = $1 AND status = 'captured'
       RETURNING id, order_id, amount_cents, status`,
      [orderId],
    );
    return rows.map(toPayment);
  }
}
