#!/bin/sh
# The postgres image runs this once, when it makes its data directory (compose.yaml and
# k8s/postgres.yaml mount it into /docker-entrypoint-initdb.d/): the services' roles, with
# their passwords from the environment, then their rights in the shop's database.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v orders_password="$ORDERS_DB_PASSWORD" -v payments_password="$PAYMENTS_DB_PASSWORD" \
  -v inventory_password="$INVENTORY_DB_PASSWORD" -v notifications_password="$NOTIFICATIONS_DB_PASSWORD" \
  -f /shop-postgres/roles.sql -f /shop-postgres/grants.sql
