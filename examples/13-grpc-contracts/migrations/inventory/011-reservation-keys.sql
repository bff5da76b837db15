-- Stage 9: inventory no longer hears of orders through the broker; the orchestrator asks it
-- over HTTP, naming each reservation by the key of its saga step. The reservations table
-- of stage 8 stays as it was, keyed by that name now. (Its inbox and outbox stay, unused:
-- a migration that has run is history and is never edited.)
-- #region reservation-keys-schema
ALTER TABLE inventory.reservations RENAME COLUMN order_id TO key;
-- #endregion reservation-keys-schema
