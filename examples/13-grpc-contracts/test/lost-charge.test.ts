// A charge the card processor made but payments never recorded (payments died between the
// two), and then the saga gave the charge up and sent its refund. The refund names the charge
// by its key, so payments finds the charge in the processor's books, records it and refunds
// it: a rejected order keeps no money, though payments' own books never saw the charge.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeCardProcessor, PostgresProcessorLedger } from '../src/adapters/card-processor.ts';
import { RandomIds } from '../src/adapters/clock-and-ids.ts';
import type { Database } from '../src/shared/ports.ts';
import { createPayments } from '../src/modules/payments/index.ts';
import { openTestDatabase } from './support.ts';

let db: Database;
before(async () => {
  db = await openTestDatabase();
});
after(() => db.close());

describe('a refund by the charge\'s key', () => {
  it('finds a charge the processor made and payments never recorded, and refunds it', async () => {
    const ledger = new PostgresProcessorLedger(db);
    const cards = new FakeCardProcessor({ ledger });
    const payments = createPayments({ db, cards, ids: new RandomIds() });
    // the processor charged; payments died before recording it
    assert.equal(await cards.charge('ord_lost', 900, 'saga-ord_lost-charge'), 'captured');
    assert.deepEqual(await payments.listForOrder('ord_lost'), []);

    await payments.refund('ord_lost', 'saga-ord_lost-charge');
    assert.deepEqual((await payments.listForOrder('ord_lost')).map((p) => `${p.status} ${p.amountCents}`), ['refunded 900']);
    const books = await db.query<{ outcome: string }>('SELECT outcome FROM payments.card_processor_ledger WHERE order_id = $1 ORDER BY position', ['ord_lost']);
    assert.deepEqual(books.rows.map((r) => r.outcome), ['captured', 'refunded']);

    // asked again (the saga's refund is retried): nothing more moves
    await payments.refund('ord_lost', 'saga-ord_lost-charge');
    const again = await db.query<{ outcome: string }>('SELECT outcome FROM payments.card_processor_ledger WHERE order_id = $1 ORDER BY position', ['ord_lost']);
    assert.deepEqual(again.rows.map((r) => r.outcome), ['captured', 'refunded']);
  });

  it('a key the processor never charged under: nothing to record, nothing refunded', async () => {
    const cards = new FakeCardProcessor({ ledger: new PostgresProcessorLedger(db) });
    const payments = createPayments({ db, cards, ids: new RandomIds() });
    await payments.refund('ord_never', 'saga-ord_never-charge');
    assert.deepEqual(await payments.listForOrder('ord_never'), []);
  });
});
