-- Stage 11: the trace context (W3C traceparent and baggage) of the work that wrote a row, so
-- the work that picks the row up later joins the same trace: the orchestrator runs a saga's
-- steps as part of the POST /orders that started it, and the relay publishes an event as part
-- of the saga step that wrote it. NULL for rows written outside a trace.
-- #region trace-columns
ALTER TABLE orders.sagas ADD COLUMN trace jsonb;
ALTER TABLE orders.outbox ADD COLUMN trace jsonb;
-- #endregion trace-columns
