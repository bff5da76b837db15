// Checks the chapter's exercise: a poison message. An event that its handler can never
// handle (a bug, data the code does not expect) is tried again and again, and since a
// consumer handles its messages in order, every message behind it waits forever.
// Teach MqttConsumer in src/adapters/mqtt.ts to give up after 5 failed attempts: publish
// the event (QoS 1, the same JSON) to `shop/dead-letters/<consumer name>`, count it in
// stats.deadLettered, and go on with the next message.
//
// Run it with `npm run check:exercise`. It starts an MQTT broker (aedes) in this process,
// a consumer whose handler always fails for one order, and publishes that order's event
// followed by a good one. Takes up to 10 s.

import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { MqttConsumer } from '../src/adapters/mqtt.ts';
import type { Envelope } from '../src/shared/events.ts';

const problems: string[] = [];
const broker = await Aedes.createBroker();
const server = net.createServer(broker.handle);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;

const handled: string[] = [];
const consumer = new MqttConsumer({
  url,
  name: 'exercise',
  log: () => {},
  handlers: {
    OrderPlaced: async (event) => {
      if (event.data.orderId === 'ord_poison') throw new Error('this order can never be handled');
      handled.push(event.data.orderId);
      return 'processed';
    },
  },
});
const watcher = await mqtt.connectAsync(url, { clientId: 'exercise-watcher' });
const deadLetters: { topic: string; event: Envelope }[] = [];
watcher.on('message', (topic, payload) => deadLetters.push({ topic, event: JSON.parse(payload.toString()) }));
await watcher.subscribeAsync('shop/dead-letters/#', { qos: 1 });

consumer.start();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
for (let i = 0; i < 50 && !consumer.stats.connected; i++) await sleep(100);
await sleep(300); // subscribed
const event = (id: string, orderId: string): Envelope => ({
  id,
  type: 'OrderPlaced',
  occurredAt: new Date().toISOString(),
  data: { orderId, customerId: 'ada', items: [{ sku: 'mug-blue', quantity: 1 }], totalCents: 1200 },
});
for (const e of [event('evt_poison', 'ord_poison'), event('evt_good', 'ord_good')]) {
  await watcher.publishAsync('shop/events/OrderPlaced', JSON.stringify(e), { qos: 1 });
}

const deadline = Date.now() + 8_000;
while (Date.now() < deadline && !(handled.includes('ord_good') && deadLetters.length > 0)) await sleep(100);

if (!handled.includes('ord_good')) problems.push('the good order behind the poison message was never handled: the consumer is still retrying the poison one');
const letter = deadLetters[0];
if (!letter) problems.push('nothing arrived on shop/dead-letters/#');
else {
  if (letter.topic !== 'shop/dead-letters/exercise') problems.push(`the dead letter went to ${letter.topic}, not shop/dead-letters/exercise`);
  if (letter.event.id !== 'evt_poison') problems.push(`the dead letter is ${JSON.stringify(letter.event)}, not the poison event as it came`);
}
const counted = (consumer.stats as { deadLettered?: number }).deadLettered;
if (counted !== 1) problems.push(`stats.deadLettered is ${counted}; one event was set aside`);
if (consumer.stats.processed !== 1) problems.push(`stats.processed is ${consumer.stats.processed}; one event was handled`);

await consumer.stop();
await watcher.endAsync(true);
server.close();
broker.close();

if (problems.length > 0) {
  console.log('✘ exercise not solved yet:');
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
console.log('✔ exercise solved: a poison message is set aside after 5 attempts, and the queue moves on');
process.exit(0);
