// Stage 13: the inventory service's RPCs (proto/shop/inventory/v1/inventory.proto), the saga's
// reserve and release, beside the JSON routes PUT and DELETE /reservations/:key. A request
// the rules refuse is INVALID_ARGUMENT, which the saga never sends again.

import { Code, ConnectError } from '@connectrpc/connect';
import type { ConnectRouter } from '@connectrpc/connect';
import { InventoryService, ReservationStatus } from '../gen/shop/inventory/v1/inventory_pb.js';
import type { StockLine } from '../modules/inventory/index.ts';
import { isIntegerBetween } from '../shared/validate.ts';

export type ReservationCommands = {
  reserve(key: string, lines: StockLine[]): Promise<'reserved' | 'out_of_stock' | 'unknown_sku'>;
  release(key: string): Promise<void>;
};

const STATUS = { reserved: ReservationStatus.RESERVED, out_of_stock: ReservationStatus.OUT_OF_STOCK, unknown_sku: ReservationStatus.UNKNOWN_SKU };

export function inventoryRoutes(inventory: ReservationCommands) {
  return (router: ConnectRouter) =>
    router.service(InventoryService, {
      async reserve(req) {
        const key = validKey(req.key);
        if (req.lines.length < 1 || req.lines.length > 50) throw new ConnectError('lines must hold 1-50 {sku, quantity}', Code.InvalidArgument);
        const lines = req.lines.map((line, i) => {
          if (line.sku.length < 1 || line.sku.length > 64 || !isIntegerBetween(line.quantity, 1, 1000)) {
            throw new ConnectError(`lines[${i}] must be {sku: 1-64 characters, quantity: 1-1000}`, Code.InvalidArgument);
          }
          return { sku: line.sku, quantity: line.quantity };
        });
        return { key, status: STATUS[await inventory.reserve(key, lines)] };
      },
      async release(req) {
        const key = validKey(req.key);
        await inventory.release(key);
        return { key };
      },
    });
}

function validKey(key: string): string {
  if (!/^[a-z0-9_-]{1,200}$/.test(key)) throw new ConnectError('key must be 1-200 of a-z, 0-9, _ and -', Code.InvalidArgument);
  return key;
}
