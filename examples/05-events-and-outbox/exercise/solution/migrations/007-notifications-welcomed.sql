-- Customers the notifications module has welcomed. The customer's id is the key, so a
-- second welcome for the same customer, from a duplicate event or from a later order, is
-- refused by Postgres itself.
-- #region welcomed-table
CREATE TABLE notifications.welcomed_customers (
  customer_id    text PRIMARY KEY,
  first_order_id text NOT NULL,
  welcomed_at    timestamptz NOT NULL DEFAULT now()
);
-- #endregion welcomed-table
