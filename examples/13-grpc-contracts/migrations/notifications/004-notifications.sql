-- The notifications module's table: what each customer was told, about which order (by id).
-- #region notifications-schema
CREATE SCHEMA notifications;

CREATE TABLE notifications.notifications (
  id          text PRIMARY KEY,
  position    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  customer_id text NOT NULL,
  order_id    text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('order_confirmed', 'order_rejected', 'order_cancelled')),
  created_at  timestamptz NOT NULL
);
CREATE INDEX notifications_by_customer ON notifications.notifications (customer_id, position);
-- #endregion notifications-schema
