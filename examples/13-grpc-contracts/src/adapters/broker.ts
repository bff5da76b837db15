// Which broker BROKER_URL names: mqtt://... (aedes, Mosquitto, or NATS's MQTT listener) or
// nats://... (NATS JetStream, an event log). Both give the services the same two things: a
// publisher for the outbox relay and a consumer for the handlers of a module.
//
// The JetStream adapter is loaded only when asked for: the browser's in-process stage never
// uses it, so it never loads the nats.js client.

import { MqttConsumer, MqttPublisher } from './mqtt.ts';
import type { ConsumerStats } from './mqtt.ts';
import type { Handlers, Publisher } from '../shared/events.ts';

export type { ConsumerStats };

// What a service and its /ops/consumer route use of a consumer.
export interface EventConsumer {
  readonly stats: ConsumerStats;
  start(): void;
  stop(): Promise<void>;
}
// #region broker-away
// For GET /ready's `degraded` (src/observability/service-kit.ts): a service whose broker is
// away stays ready, since its reads do not need it and the events wait (in the outboxes and in
// the log or the broker's session) until it is back; it says so, while its consumer, told to
// run, has no connection.
export function brokerAway(consumer: EventConsumer): () => string | undefined {
  return () => (consumer.stats.running && !consumer.stats.connected ? `the broker is away: events wait in the outboxes and are handled when it is back (consumer ${consumer.stats.name} reconnecting)` : undefined);
}
// #endregion broker-away

export type ClosablePublisher = Publisher & { close(): Promise<void> };

export type BrokerKind = 'mqtt' | 'jetstream';
// #region broker-kind
export function brokerKind(url: string): BrokerKind {
  const scheme = url.slice(0, url.indexOf(':') + 1);
  if (scheme === 'mqtt:' || scheme === 'mqtts:') return 'mqtt';
  if (scheme === 'nats:' || scheme === 'tls:') return 'jetstream';
  throw new Error(`BROKER_URL must start with mqtt:// (an MQTT broker) or nats:// (NATS JetStream), got ${scheme || url.slice(0, 10)}`);
}
// #endregion broker-kind

export async function createPublisher(options: { url: string; name: string; onReplay: (why: string) => void }): Promise<ClosablePublisher> {
  if (brokerKind(options.url) === 'mqtt') return new MqttPublisher(options);
  const { JetStreamPublisher } = await import('./jetstream.ts');
  return new JetStreamPublisher(options);
}

export async function createConsumer(options: { url: string; name: string; handlers: Handlers; log?: (line: string) => void; onHandled?: () => void }): Promise<EventConsumer> {
  if (brokerKind(options.url) === 'mqtt') return new MqttConsumer(options);
  const { JetStreamConsumer } = await import('./jetstream.ts');
  return new JetStreamConsumer(options);
}
