-- Idempotency keys of charges: the key, what it was used for and the answer it got.
-- #region idempotency-keys-schema
CREATE TABLE payments.idempotency_keys (
  key         text PRIMARY KEY,
  fingerprint text NOT NULL,
  status      integer NOT NULL,
  body        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- #endregion idempotency-keys-schema
