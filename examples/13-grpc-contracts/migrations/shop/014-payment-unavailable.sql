-- A new reason for a rejected order: payment_unavailable, the saga gave up on a charge
-- because payments did not answer (not because the card was declined). Both tables that
-- keep a reason learn it; the constraints are the ones 002 and 010 created unnamed.
-- #region payment-unavailable
ALTER TABLE orders.orders DROP CONSTRAINT orders_reason_check,
  ADD CONSTRAINT orders_reason_check CHECK (reason IN ('out_of_stock', 'payment_declined', 'payment_unavailable', 'unknown_sku'));
ALTER TABLE orders.sagas DROP CONSTRAINT sagas_reason_check,
  ADD CONSTRAINT sagas_reason_check CHECK (reason IN ('out_of_stock', 'payment_declined', 'payment_unavailable', 'unknown_sku'));
-- #endregion payment-unavailable
