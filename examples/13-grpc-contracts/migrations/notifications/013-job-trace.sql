-- Stage 11: the trace context (W3C traceparent and baggage) of the work that enqueued a job,
-- so the worker that claims it later runs it as part of the same trace: the order's trace
-- goes on from the notifications consumer into the worker. NULL for a job enqueued outside
-- a trace.
-- #region job-trace
ALTER TABLE notifications.jobs ADD COLUMN trace jsonb;
-- #endregion job-trace
