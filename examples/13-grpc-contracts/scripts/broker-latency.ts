// End-to-end event latency through each real broker, with the stage's own adapters: from the
// publisher's publish() to the consumer's handler, one event at a time (the relay publishes
// one at a time, and the consumers handle one at a time).
//
//   eval "$(scripts/ci/real-infra.sh)"                       (at the project's root)
//   node scripts/broker-latency.ts [--events 200] [--record]  (in this stage)
//
// Measures every broker whose URL is set: TEST_BROKER_URL (Mosquitto), TEST_NATS_MQTT_URL
// (NATS's MQTT listener) and TEST_NATS_URL (JetStream). --record writes the medians and 99th
// percentiles to the section `broker-latency` of measurements.json, which chapter 12 quotes.

import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { createConsumer, createPublisher } from '../src/adapters/broker.ts';
import { STREAM } from '../src/adapters/jetstream.ts';
import type { Envelope } from '../src/shared/events.ts';
import { recorderIfAsked, type Figure } from './record.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200' }, record: { type: 'boolean', default: false } } });
const count = Number(values.events);
if (!Number.isInteger(count) || count < 10 || count > 100_000) {
  console.error('--events must be an integer from 10 to 100000');
  process.exit(1);
}
const brokers = [
  { key: 'mosquitto', name: 'Mosquitto (MQTT)', url: process.env.TEST_BROKER_URL },
  { key: 'nats-mqtt', name: "NATS's MQTT listener", url: process.env.TEST_NATS_MQTT_URL },
  { key: 'jetstream', name: 'NATS JetStream', url: process.env.TEST_NATS_URL },
].filter((broker): broker is { key: string; name: string; url: string } => Boolean(broker.url));
if (brokers.length === 0) {
  console.error('no broker to measure: set TEST_BROKER_URL, TEST_NATS_MQTT_URL or TEST_NATS_URL (eval "$(scripts/ci/real-infra.sh)" at the project\'s root)');
  process.exit(1);
}

const run = randomBytes(3).toString('hex');
// every event of a run is about one made-up order, so the run's events share one subject on
// JetStream and are purged from the stream afterwards
const orderId = `ord_latency-${run}`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (ms: number) => Math.round(ms * 100) / 100;

async function measure(broker: { key: string; url: string }): Promise<number[]> {
  const name = `latency-${run}-${broker.key}`;
  let heard: ((id: string) => void) | undefined;
  const consumer = await createConsumer({
    url: broker.url,
    name,
    handlers: { OrderConfirmed: async (event) => (heard?.(event.id), 'processed') },
    log: () => {},
  });
  const publisher = await createPublisher({ url: broker.url, name, onReplay: () => {} });
  consumer.start();
  const latencies: number[] = [];
  try {
    // ten events first, not counted, and not waited for long: a new MQTT session hears nothing
    // until its subscription is made, and the connections and the durable consumer are made then
    for (let n = -10; n < count; n++) {
      const event: Envelope = { id: `evt_${run}_${broker.key}_${n}`, type: 'OrderConfirmed', occurredAt: new Date().toISOString(), data: { orderId, customerId: 'latency', items: [], totalCents: 0 } };
      const arrived = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => (n < 0 ? resolve() : reject(new Error(`${event.id} not heard within 10 s on ${broker.key}`))), n < 0 ? 1_000 : 10_000);
        heard = (id) => id === event.id && (clearTimeout(timer), resolve());
      });
      const started = performance.now();
      await publisher.publish(event);
      await arrived;
      if (n >= 0) latencies.push(performance.now() - started);
    }
  } finally {
    await consumer.stop();
    await publisher.close();
  }
  if (broker.key === 'jetstream') await forgetOnJetStream(broker.url, name);
  else await forgetSessions(broker.url, name);
  return latencies.sort((a, b) => a - b);
}

// The run's durable consumer and events are removed from the stream: they are not the shop's.
async function forgetOnJetStream(url: string, durable: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.delete(STREAM, durable);
    await jsm.streams.purge(STREAM, { filter: `shop.events.OrderConfirmed.${orderId}` });
  } finally {
    await nc.close();
  }
}

// The run's MQTT sessions (fixed client ids, clean: false) are ended on the broker.
async function forgetSessions(url: string, name: string): Promise<void> {
  for (const clientId of [`${name}-publisher`, `${name}-consumer`]) {
    const client = await mqtt.connectAsync(url, { clientId, clean: true, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5_000 });
    await client.endAsync();
  }
}

// the load average the figures were taken under: the one at the start
const record = await recorderIfAsked();
const figures: Record<string, Figure> = { events: { value: count, unit: 'count' } };
for (const broker of brokers) {
  const sorted = await measure(broker);
  const [p50, p99] = [percentile(sorted, 50), percentile(sorted, 99)];
  console.log(`${broker.name.padEnd(22)} ${count} events: median ${round(p50)} ms, p99 ${round(p99)} ms (${broker.url})`);
  figures[`${broker.key}/p50`] = { value: round(p50), unit: 'ms' };
  figures[`${broker.key}/p99`] = { value: round(p99), unit: 'ms' };
}
if (record) {
  const command = `node scripts/broker-latency.ts --events ${count} --record (in examples/13-grpc-contracts, after eval "$(scripts/ci/real-infra.sh)")`;
  record('broker-latency', command, figures);
}
