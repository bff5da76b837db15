-- Stage 13: the deadline of the POST /orders that started a saga (src/modules/orders/saga/
-- model.ts, orderDeadline): every forward step's RPC is given the time left until then, and a
-- step still failing at the deadline is given up. NULL for sagas started before this column.
ALTER TABLE orders.sagas ADD COLUMN deadline timestamptz;
