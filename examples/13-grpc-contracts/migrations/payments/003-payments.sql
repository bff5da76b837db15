-- The payments module's table. A payment knows its order by id only: orders.orders is
-- another module's table, so there is no foreign key to it.
-- #region payments-schema
CREATE SCHEMA payments;

CREATE TABLE payments.payments (
  id           text PRIMARY KEY,
  position     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  -- #region experiment-cross-schema-reference
  order_id     text NOT NULL,
  -- #endregion experiment-cross-schema-reference
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  status       text NOT NULL CHECK (status IN ('captured', 'refunded', 'declined'))
);
CREATE INDEX payments_by_order ON payments.payments (order_id);
-- #endregion payments-schema
