-- Stage 10: sending a notification becomes a job in a durable queue, a table in the
-- notifications schema. The notifications service adds a job in the same transaction as the
-- notification it records; a pool of worker processes claims the jobs one at a time and
-- sends them.
-- #region jobs-table
CREATE TABLE notifications.jobs (
  id           text PRIMARY KEY,
  position     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  kind         text NOT NULL,
  -- one job per thing to do: a second enqueue with the same key adds nothing
  key          text NOT NULL UNIQUE,
  payload      jsonb NOT NULL,
  -- claims so far (a claim counts as an attempt: a worker killed mid-job used one up)
  attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
  -- not before then: the backoff after a failure
  run_after    timestamptz NOT NULL DEFAULT now(),
  -- the lease: which worker has it, and until when; an expired lease is anybody's
  locked_by    text,
  locked_until timestamptz,
  done_at      timestamptz,
  done_by      text,
  -- the dead-letter state: given up after max_attempts, kept for a person to look at
  dead_at      timestamptz,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (done_at IS NULL OR dead_at IS NULL)
);
-- what a worker asks for ("the oldest job that is due") stays quick as done jobs pile up
CREATE INDEX jobs_to_do ON notifications.jobs (run_after, position) WHERE done_at IS NULL AND dead_at IS NULL;
-- #endregion jobs-table

-- #region sent-messages
-- What the workers sent: the job's effect. One row per order and kind of news, so a job
-- that runs again after a crash can never send the same news twice.
CREATE TABLE notifications.sent_messages (
  order_id    text NOT NULL,
  kind        text NOT NULL,
  customer_id text NOT NULL,
  text        text NOT NULL,
  job_id      text NOT NULL REFERENCES notifications.jobs (id),
  attempt     integer NOT NULL,
  sent_by     text NOT NULL,
  sent_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, kind)
);
-- #endregion sent-messages
