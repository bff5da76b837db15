// Chapter 8's experiment, as a reader does it in the workbench: stop the inventory consumer
// with the request console, place an order and see it stay pending, start the consumer and
// see the order confirmed (it caught up with what the broker queued); then deliver the order's
// event a second time and see inventory's inbox ignore it; then (part B) hold OrderPlaced back in
// the shop's relay, cancel the order before inventory has heard of it, let OrderPlaced go, and
// see that it takes nothing.
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';

const stage = '08-message-broker';

test('experiment: a stopped consumer catches up, a second delivery is ignored, and a cancel that overtakes its order takes nothing', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(`/chapters/${stage}/?runtime=local`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });
  const response = wb.getByRole('region', { name: 'Response' });
  // Picks a request, sends it, and waits for ITS answer (the one before may look alike).
  const send = async (label: string, expected: string | RegExp) => {
    const before = (await response.textContent()) ?? '';
    await wb.getByRole('button', { name: label, exact: true }).click();
    await wb.getByRole('button', { name: 'Send' }).click();
    await expect.poll(async () => (await response.textContent()) ?? '', { timeout: 30_000 }).not.toBe(before);
    await expect(response).toContainText(expected);
  };
  const duplicatesIgnored = async () => {
    await send('Consumers', '"consumers"');
    const text = (await response.textContent()) ?? '';
    const inventory = /"name": "inventory",[\s\S]*?"duplicatesIgnored": (\d+)/.exec(text);
    return Number(inventory?.[1]);
  };
  const mugStock = async () => {
    await send('Products', '"mug-blue"');
    return Number(/"sku": "mug-blue"[^}]*"stock": (\d+)/.exec((await response.textContent()) ?? '')?.[1]);
  };

  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 90_000 });
  await expect(output).toContainText(/shop ready on http:\/\/127\.0\.0\.1:\d+ \(6 processes/);

  // 1. three consumers, each running
  await send('Consumers', '"consumers"');
  for (const name of ['shop', 'inventory', 'notifications']) await expect(response).toContainText(`"name": "${name}"`);
  expect(((await response.textContent()) ?? '').match(/"running": true/g)).toHaveLength(3);
  const stockBefore = await mugStock();

  // 2. the inventory consumer stops; its session stays on the broker
  await send('Stop the inventory consumer', '"running": false');
  await expect(output).toContainText('consumer inventory: stopped (its session stays on the broker, which queues its messages)');

  // 3. orders, two of them, are accepted and stay pending: nobody reserves their stock
  const placed = 2;
  for (let i = 0; i < placed; i++) {
    await send('Place an order', '"status": "pending"');
    await expect(response).toContainText('202');
  }
  await page.waitForTimeout(1_500);
  // 4. Grace's orders stay pending
  await send("Grace's orders", '"status": "pending"');
  expect(((await response.textContent()) ?? '').match(/"status": "pending"/g)).toHaveLength(placed);

  // started again, the consumer gets what the broker queued and the order is confirmed
  await send('Start the inventory consumer', '"running": true');
  await expect
    .poll(
      async () => {
        await send("Grace's orders", '"items"');
        return (await response.textContent()) ?? '';
      },
      { timeout: 15_000 },
    )
    .not.toContain('"status": "pending"');
  await expect(response).toContainText('"status": "confirmed"');
  // ...and the blue mug's stock is down by as many (the "Place an order" preset orders one mug)
  const stockAfter = await mugStock();
  expect(stockBefore - stockAfter).toBe(placed);

  // the same OrderPlaced a second time: inventory's inbox ignores it
  const before = await duplicatesIgnored();
  await send('Deliver the last order again', '"type": "OrderPlaced"');
  await expect(output).toContainText(/consumer inventory: OrderPlaced evt_\w+ again; in the inbox already, ignored/);
  await expect.poll(duplicatesIgnored, { timeout: 10_000 }).toBe(before + 1);
  await expect(response).toContainText(/"lastDuplicate": \{\s*"id": "evt_\w+"/);
  // the stock did not move
  expect(await mugStock()).toBe(stockAfter);

  // 7. exactly one notification per order
  const notified = async () => {
    await send("Grace's notifications", '200 OK');
    return ((await response.textContent()) ?? '').match(/"orderId": "ord_\w+"/g) ?? [];
  };
  await expect.poll(async () => (await notified()).length, { timeout: 15_000 }).toBe(placed);
  const ids = await notified();
  expect(new Set(ids).size).toBe(placed);

  await send('Not a switch', 'invalid_request');
  await expect(response).toContainText('running must be true or false');

  // B. a cancel that overtakes its order
  const inventoryProcessed = async () => {
    await send('Consumers', '"consumers"');
    return Number(/"name": "inventory",[\s\S]*?"processed": (\d+)/.exec((await response.textContent()) ?? '')?.[1]);
  };
  const stockBeforeB = await mugStock();
  // 1. the relay keeps OrderPlaced back
  await send('Hold back OrderPlaced', '"heldBack"');
  await expect(output).toContainText('relay: holding back OrderPlaced; later events go out before them');
  // 2. an order: accepted and pending; its OrderPlaced waits in the outbox
  await send('Place an order', '"status": "pending"');
  const processedBeforeCancel = await inventoryProcessed();
  // 3. its cancel goes out first; inventory has heard of no such order, releases nothing and
  // answers, and the order ends cancelled with the stock where it was
  await send('Cancel the last order', '202');
  await expect
    .poll(async () => {
      await send('The last order', '"id"');
      return (await response.textContent()) ?? '';
    }, { timeout: 15_000 })
    .toContain('"status": "cancelled"');
  expect(await mugStock()).toBe(stockBeforeB);
  // 4. let OrderPlaced go: it is handled (inventory's count goes up by one more) and takes nothing
  await send('Let OrderPlaced go', '"heldBack": []');
  await expect(output).toContainText('relay: holding nothing back; what waited goes out now');
  await expect.poll(inventoryProcessed, { timeout: 15_000 }).toBe(processedBeforeCancel + 2);
  expect(await mugStock()).toBe(stockBeforeB);
  await send('The last order', '"status": "cancelled"');

  await wb.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(wb.getByRole('status')).not.toHaveText('Ready', { timeout: 15_000 });
});
