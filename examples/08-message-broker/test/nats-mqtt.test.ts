// The curriculum says NATS speaks MQTT: the whole stage, unchanged, on the MQTT listener of a
// real nats-server (BROKER_URL) instead of its own aedes. Orders settle, a stopped consumer's
// persistent session queues its events until it is back, and a second delivery is ignored.
// Runs only with TEST_NATS_MQTT_URL (`eval "$(scripts/ci/real-infra.sh)"` from the project's
// root sets it up); without it, it reports itself skipped.
// Run on its own: TEST_NATS_MQTT_URL=mqtt://127.0.0.1:18831 node --test test/nats-mqtt.test.ts

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { eventually, settle, sleep } from './support.ts';

type Order = { id: string; status: string };
type Stats = { name: string; running: boolean; processed: number; duplicatesIgnored: number };

const natsMqttUrl = process.env.TEST_NATS_MQTT_URL;
const stageDir = new URL('..', import.meta.url);

// The services' sessions outlive a run on a real broker (NATS keeps them in JetStream): a run
// starts and ends with none, so no earlier run's queued events reach this one's database.
const CLIENT_IDS = ['shop', 'inventory', 'notifications'].flatMap((name) => [`${name}-publisher`, `${name}-consumer`]);
async function forgetSessions(url: string): Promise<void> {
  for (const clientId of CLIENT_IDS) {
    const client = await mqtt.connectAsync(url, { clientId, clean: true, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5_000 });
    await client.endAsync();
  }
}

describe('the stage on the MQTT listener of a real nats-server', { skip: natsMqttUrl ? false : 'TEST_NATS_MQTT_URL is not set (eval "$(scripts/ci/real-infra.sh)" sets it up)' }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'shop-nats-mqtt-'));
  let stage: Stage;
  before(async () => {
    await forgetSessions(natsMqttUrl!);
    stage = await startStage(stageDir, { env: { DATA_DIR: tmp, BROKER_URL: natsMqttUrl! }, timeoutMs: 90_000 });
    const res = await request(stage.url, 'POST', '/products', { sku: 'nats-mug', name: 'NATS mug', priceCents: 700, stock: 50 });
    assert.equal(res.status, 201, res.text);
  });
  after(async () => {
    await stage?.stop();
    await forgetSessions(natsMqttUrl!).catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  });

  const place = async (customerId: string) => {
    const res = await request<Order>(stage.url, 'POST', '/orders', { customerId, items: [{ sku: 'nats-mug', quantity: 1 }] });
    assert.equal(res.status, 202, res.text);
    return res.json;
  };
  const stock = async () => (await request<{ sku: string; stock: number }[]>(stage.url, 'GET', '/products')).json.find((p) => p.sku === 'nats-mug')?.stock;
  const inventory = async () => (await request<{ consumers: Stats[] }>(stage.url, 'GET', '/ops/consumers')).json.consumers.find((c) => c.name === 'inventory')!;
  const switchInventory = async (running: boolean) => {
    const res = await request<Stats>(stage.url, 'POST', '/ops/consumers/inventory', { running });
    assert.equal(res.status, 200, res.text);
  };

  it('orders settle through NATS, each customer told once', async () => {
    assert.match(stage.output(), new RegExp(`broker ${natsMqttUrl!.replace(/[.:/]/g, '\\$&')}`));
    const orders = [await place('nats-a'), await place('nats-b'), await place('nats-c')];
    for (const o of orders) assert.equal((await settle(stage.url, o.id)).status, 'confirmed');
    assert.equal(await stock(), 47);
    for (const customerId of ['nats-a', 'nats-b', 'nats-c']) {
      await eventually(async () => (await request<unknown[]>(stage.url, 'GET', `/notifications?customerId=${customerId}`)).json.length === 1, 10_000, `${customerId} told`);
    }
  });

  it("a stopped consumer's session queues its events on NATS until it is back", async () => {
    await switchInventory(false);
    const waiting = [await place('nats-away'), await place('nats-away')];
    await sleep(1_500);
    for (const o of waiting) assert.equal((await request<Order>(stage.url, 'GET', `/orders/${o.id}`)).json.status, 'pending');
    await switchInventory(true);
    for (const o of waiting) assert.equal((await settle(stage.url, o.id)).status, 'confirmed');
    assert.equal(await stock(), 45);
  });

  it('a second delivery through NATS is ignored by the inbox', async () => {
    const ignoredBefore = (await inventory()).duplicatesIgnored;
    const res = await request<{ redelivered: { id: string } }>(stage.url, 'POST', '/ops/redeliver', {});
    assert.equal(res.status, 200, res.text);
    await eventually(async () => (await inventory()).duplicatesIgnored === ignoredBefore + 1, 10_000, 'the duplicate ignored');
    assert.equal(await stock(), 45);
  });
});
