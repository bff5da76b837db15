-- The inventory module's tables: the catalogue and the stock of every product.
-- #region inventory-schema
CREATE SCHEMA inventory;

CREATE TABLE inventory.products (
  sku         text PRIMARY KEY,
  name        text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents > 0),
  -- The last line of defence for "never oversell": even a bug cannot store negative stock.
  stock       integer NOT NULL CHECK (stock >= 0)
);
-- #endregion inventory-schema
