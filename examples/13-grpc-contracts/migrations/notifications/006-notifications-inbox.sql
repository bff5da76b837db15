-- The notifications module's inbox: the id of every event it has already handled. Events
-- arrive at least once, so the same event may come twice; the second time its id is here
-- and the module does nothing. (The id is the orders module's: an id, no foreign key.)
-- #region inbox-table
CREATE TABLE notifications.processed_events (
  event_id     text PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
-- #endregion inbox-table
