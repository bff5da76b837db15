-- What the service roles (roles.sql) may do in the shop's database. Run by the database's owner
-- in that database, after roles.sql; running it again changes nothing.
-- #region grants
DO $$
BEGIN
  -- connect, and create a schema: each service's first migration makes its own, which its role
  -- then owns. No role is granted anything on a schema it did not make.
  EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO shop_orders, shop_payments, shop_inventory, shop_notifications', current_database());
END $$;
-- public holds only the two tables every service keeps its bookkeeping in: the migrations
-- applied, and the tags of committed transactions (src/adapters/database.ts). Each service
-- checks at every start that no other table is there (checkSchemaBoundaries).
CREATE TABLE IF NOT EXISTS public.schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS public.committed_transactions (tag uuid PRIMARY KEY, committed_at timestamptz NOT NULL DEFAULT now());
GRANT USAGE, CREATE ON SCHEMA public TO shop_orders, shop_payments, shop_inventory, shop_notifications;
GRANT SELECT, INSERT ON public.schema_migrations TO shop_orders, shop_payments, shop_inventory, shop_notifications;
GRANT SELECT, INSERT, DELETE ON public.committed_transactions TO shop_orders, shop_payments, shop_inventory, shop_notifications;
-- #endregion grants
