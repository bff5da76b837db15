import type { Product } from './modules/inventory/index.ts';

// #region catalogue
// The shop opens with a few products so there is something to buy straight away.
// The kettle has only two units, to make running out of stock easy to try; the espresso
// machine costs more than the card processor will ever accept.
export const SEED_PRODUCTS: Product[] = [
  { sku: 'coffee-beans', name: 'Coffee beans, 1 kg', priceCents: 2490, stock: 40 },
  { sku: 'espresso-machine', name: 'Espresso machine, professional', priceCents: 549_000, stock: 3 },
  { sku: 'kettle-copper', name: 'Copper kettle', priceCents: 8900, stock: 2 },
  { sku: 'mug-blue', name: 'Blue mug', priceCents: 1200, stock: 25 },
  { sku: 'tea-green', name: 'Green tea, 100 g', priceCents: 850, stock: 100 },
  { sku: 'teapot-cast-iron', name: 'Cast-iron teapot', priceCents: 4500, stock: 6 },
];
// #endregion catalogue
