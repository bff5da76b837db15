-- Every change to a product's stock, for the stock keepers' audit trail: minus when an
-- order reserves, plus when stock goes back. It lives in the inventory schema, beside the
-- products it counts, so a foreign key to inventory.products is fine.
-- #region stock-movements
CREATE TABLE inventory.stock_movements (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sku    text NOT NULL REFERENCES inventory.products (sku),
  change integer NOT NULL,
  at     timestamptz NOT NULL DEFAULT now()
);
-- #endregion stock-movements
