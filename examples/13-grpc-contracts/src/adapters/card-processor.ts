import type { Database } from '../shared/ports.ts';
import type { CardProcessor, ChargeOutcome } from '../modules/payments/index.ts';

// #region card-processor
// A pretend card processor behind the CardProcessor port. A real one is a network call away
// and can be slow or down; this one answers at once, and declines any single charge above
// 500,000 cents so a failed payment can be shown on demand.
const CARD_LIMIT_CENTS = 500_000;

// The processor's books: one entry per charge it made, under the key it was asked with (and
// one per refund it sent, kept apart: a refund answers no key).
export type LedgerEntry = { idempotencyKey: string | undefined; orderId: string; amountCents: number; outcome: ChargeOutcome };
export interface ProcessorLedger {
  // Records the entry, unless its key is already in the books: then nothing is recorded and
  // the entry made under that key earlier is returned.
  record(entry: LedgerEntry): Promise<LedgerEntry>;
  // The entry made under a key, if any.
  find(idempotencyKey: string): Promise<LedgerEntry | undefined>;
  // Money sent back to an order's card.
  refund(orderId: string, amountCents: number): Promise<void>;
  // Captured charges per order: what the customers' bank statements would show.
  capturedPerOrder(): Promise<Map<string, number>>;
}

export class FakeCardProcessor implements CardProcessor {
  private ledger: ProcessorLedger;
  private answerDelayMs: number;
  private log: (line: string) => void;

  // `answerDelayMs`: the charge is made at once, its answer comes back this much later (a
  // slow network on the way back). A crash of payments in that time is the window the
  // idempotency key has to cover: money moved, payments has not recorded it.
  constructor(options: { ledger?: ProcessorLedger; answerDelayMs?: number; log?: (line: string) => void } = {}) {
    this.ledger = options.ledger ?? new MemoryProcessorLedger();
    this.answerDelayMs = options.answerDelayMs ?? 0;
    this.log = options.log ?? ((line) => console.log(line));
  }

  // Like a real processor, a key it has seen gets the answer it got the first time and no
  // second charge; a charge without a key is a new charge every time.
  async charge(orderId: string, amountCents: number, idempotencyKey?: string): Promise<ChargeOutcome> {
    const outcome = amountCents > CARD_LIMIT_CENTS ? 'declined' : 'captured';
    const entry = await this.ledger.record({ idempotencyKey, orderId, amountCents, outcome });
    if (entry.orderId !== orderId || entry.amountCents !== amountCents) {
      throw new Error(`card processor: idempotency key ${idempotencyKey} was used for another charge`);
    }
    if (this.answerDelayMs > 0) {
      this.log(`card processor: ${entry.outcome} ${orderId} ${amountCents} cents (key ${idempotencyKey ?? 'none'}); the answer takes ${this.answerDelayMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, this.answerDelayMs));
    }
    return entry.outcome;
  }

  async refund(orderId: string, amountCents: number): Promise<void> {
    await this.ledger.refund(orderId, amountCents);
  }

  findCharge(idempotencyKey: string): Promise<LedgerEntry | undefined> {
    return this.ledger.find(idempotencyKey);
  }

  capturedPerOrder(): Promise<Map<string, number>> {
    return this.ledger.capturedPerOrder();
  }
}
// #endregion card-processor

// #region processor-ledger
// The books in the payments schema (migrations/payments/006-card-processor-ledger.sql), so
// they survive a restart of payments as a real processor's books would.
export class PostgresProcessorLedger implements ProcessorLedger {
  private db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  async record(entry: LedgerEntry): Promise<LedgerEntry> {
    type Row = { order_id: string; amount_cents: number; outcome: ChargeOutcome };
    const inserted = await this.db.query<Row>(
      `INSERT INTO payments.card_processor_ledger (idempotency_key, order_id, amount_cents, outcome) VALUES ($1, $2, $3, $4)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING order_id, amount_cents, outcome`,
      [entry.idempotencyKey ?? null, entry.orderId, entry.amountCents, entry.outcome],
    );
    const row = inserted.rows[0] ??
      (await this.db.query<Row>('SELECT order_id, amount_cents, outcome FROM payments.card_processor_ledger WHERE idempotency_key = $1', [entry.idempotencyKey])).rows[0];
    if (!row) throw new Error(`card processor: key ${entry.idempotencyKey} neither recorded nor found`);
    return { idempotencyKey: entry.idempotencyKey, orderId: row.order_id, amountCents: row.amount_cents, outcome: row.outcome };
  }

  async find(idempotencyKey: string): Promise<LedgerEntry | undefined> {
    const { rows } = await this.db.query<{ order_id: string; amount_cents: number; outcome: ChargeOutcome }>(
      'SELECT order_id, amount_cents, outcome FROM payments.card_processor_ledger WHERE idempotency_key = $1',
      [idempotencyKey],
    );
    const row = rows[0];
    return row && { idempotencyKey, orderId: row.order_id, amountCents: row.amount_cents, outcome: row.outcome };
  }

  async refund(orderId: string, amountCents: number): Promise<void> {
    await this.db.query(`INSERT INTO payments.card_processor_ledger (order_id, amount_cents, outcome) VALUES ($1, $2, 'refunded')`, [orderId, amountCents]);
  }

  async capturedPerOrder(): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ order_id: string; charges: number }>(
      `SELECT order_id, count(*)::int AS charges FROM payments.card_processor_ledger WHERE outcome = 'captured' GROUP BY order_id`,
    );
    return new Map(rows.map((row) => [row.order_id, row.charges]));
  }
}
// #endregion processor-ledger

// Books that last as long as the process: for the tests that run payments in one process.
export class MemoryProcessorLedger implements ProcessorLedger {
  private entries: LedgerEntry[] = [];
  readonly refunds: { orderId: string; amountCents: number }[] = [];
  async record(entry: LedgerEntry): Promise<LedgerEntry> {
    const earlier = entry.idempotencyKey === undefined ? undefined : this.entries.find((e) => e.idempotencyKey === entry.idempotencyKey);
    if (earlier) return earlier;
    this.entries.push(entry);
    return entry;
  }
  async find(idempotencyKey: string): Promise<LedgerEntry | undefined> {
    return this.entries.find((e) => e.idempotencyKey === idempotencyKey);
  }
  async refund(orderId: string, amountCents: number): Promise<void> {
    this.refunds.push({ orderId, amountCents });
  }
  async capturedPerOrder(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const e of this.entries) if (e.outcome === 'captured') counts.set(e.orderId, (counts.get(e.orderId) ?? 0) + 1);
    return counts;
  }
}

// #region sandbox
// The provider's test mode: the same answers, and no money moves. The parallel run's shadow
// instances use it, so comparing two implementations never charges a card twice.
export class SandboxCardProcessor implements CardProcessor {
  async charge(_orderId: string, amountCents: number): Promise<ChargeOutcome> {
    return amountCents > CARD_LIMIT_CENTS ? 'declined' : 'captured';
  }
  async refund(_orderId: string, _amountCents: number): Promise<void> {}
  async findCharge(): Promise<undefined> {
    return undefined;
  }
}
// #endregion sandbox
