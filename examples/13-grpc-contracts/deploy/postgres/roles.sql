-- One login role per service that owns data, so that a service can read and write its own
-- schema and nothing else (chapter 12: payments kept apart, as PCI would want). Run once per
-- PostgreSQL cluster by an administrator (a superuser, or a role with CREATEROLE), with the
-- four passwords as psql variables:
--   psql -v orders_password=... -v payments_password=... -v inventory_password=... \
--        -v notifications_password=... -f roles.sql
-- The shop and the orchestrator share shop_orders (the orders schema); notifications and the
-- workers share shop_notifications. The schemas themselves are made by each service's first
-- migration, under its own role, so each role owns its schema and no other role may use it.
-- #region roles
SELECT format('CREATE ROLE %I LOGIN', name)
FROM unnest(ARRAY['shop_orders', 'shop_payments', 'shop_inventory', 'shop_notifications']) AS name
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) \gexec
ALTER ROLE shop_orders PASSWORD :'orders_password';
ALTER ROLE shop_payments PASSWORD :'payments_password';
ALTER ROLE shop_inventory PASSWORD :'inventory_password';
ALTER ROLE shop_notifications PASSWORD :'notifications_password';
-- #endregion roles
