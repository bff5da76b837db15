// The inventory and notifications services, seen from the shop: HTTP clients that
// implement the modules' interfaces, on the same resilient client as payments.

import type { Catalogue, Product } from '../modules/inventory/index.ts';
import type { Notification, Notifications } from '../modules/notifications/index.ts';
import { ServiceClient } from './service-client.ts';

// #region http-catalogue
export class HttpCatalogue implements Catalogue {
  readonly client: ServiceClient;
  constructor(baseUrl: string) {
    this.client = new ServiceClient({ name: 'inventory', baseUrl });
  }
  listProducts(): Promise<Product[]> {
    return this.client.call<Product[]>('GET', '/products');
  }
  addProduct(product: Product): Promise<Product> {
    // a 409 sku_exists comes back as the same error, so a retried add that did go through
    // the first time answers 409; the contract suite never adds a product twice
    return this.client.call<Product>('POST', '/products', product);
  }
  async findProduct(sku: string): Promise<Product | undefined> {
    const found = await this.client.call<Product[]>('GET', `/products?sku=${encodeURIComponent(sku)}`);
    return found[0];
  }
}
// #endregion http-catalogue

export class HttpNotifications implements Notifications {
  readonly client: ServiceClient;
  constructor(baseUrl: string) {
    this.client = new ServiceClient({ name: 'notifications', baseUrl });
  }
  listForCustomer(customerId: string): Promise<Notification[]> {
    return this.client.call<Notification[]>('GET', `/notifications?customerId=${encodeURIComponent(customerId)}`);
  }
}
