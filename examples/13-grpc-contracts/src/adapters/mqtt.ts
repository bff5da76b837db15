// The broker, as the services see it: MQTT over TCP with the `mqtt` client. The broker is
// src/broker-main.ts (aedes) here; any MQTT broker at BROKER_URL does (Mosquitto in stage 12).
//
// At least once, end to end:
// - QoS 1 both ways: the broker answers a publish with PUBACK once it has the message, and
//   keeps a message for a subscriber until the subscriber answers PUBACK in turn;
// - persistent sessions: each client connects with a fixed clientId and clean: false, so
//   the broker remembers its subscriptions and queues its messages while it is away;
// - the consumer answers PUBACK only after its handler has committed (handleMessage below).

import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { EVENT_TYPES, topicOf } from '../shared/events.ts';
import type { Envelope, EventType, Handlers, Outcome, Publisher } from '../shared/events.ts';

// A consumer whose broker lost its session asks the publishers here to replay.
export const REPLAY_TOPIC = 'shop/replay';
// What a replay publishes again: the events of the last ten minutes (an order is final within
// 10 s, so anything older has been handled long ago).
export const REPLAY_WINDOW_S = 600;
const PUBLISH_TIMEOUT_MS = 5_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// #region connect
function connect(url: string, clientId: string): MqttClient {
  return mqtt.connect(url, {
    clientId,
    clean: false, // a persistent session: the broker keeps it while we are away
    protocolVersion: 4, // MQTT 3.1.1, which every broker speaks
    reconnectPeriod: 250,
    connectTimeout: 2_000,
    keepalive: 10,
    resubscribe: false, // we subscribe ourselves on every connect (see MqttConsumer)
  });
}
// #endregion connect

// #region publisher
// One per publishing service: publishes with QoS 1 and resolves on the PUBACK. It also
// listens for replay requests, and replays by itself when its own session was lost.
export class MqttPublisher implements Publisher {
  private client: MqttClient;

  constructor(options: { url: string; name: string; onReplay: (why: string) => void }) {
    this.client = connect(options.url, `${options.name}-publisher`);
    let connectedBefore = false;
    this.client.on('connect', (connack) => {
      const again = connectedBefore;
      connectedBefore = true;
      this.client.subscribeAsync(REPLAY_TOPIC, { qos: 1 }).then(
        () => {
          if (!connack.sessionPresent) options.onReplay('the broker had no session for this publisher');
          // #region replay-on-reconnect
          // Stage 12: a broker that keeps its sessions on disk (Mosquitto) can come back
          // from a crash WITH our sessions but WITHOUT the messages it had queued since its
          // last save. Nobody would notice: the sessions are there. So after any lost
          // connection, publish the recent events again; every consumer's inbox drops the
          // ones it had.
          else if (again) options.onReplay('connected to the broker again, which may have lost what it queued');
          // #endregion replay-on-reconnect
        },
        () => {},
      );
    });
    this.client.on('message', (topic, payload) => {
      if (topic === REPLAY_TOPIC) options.onReplay(`${String(JSON.parse(payload.toString()).consumer ?? 'a consumer')} asked for it`);
    });
    this.client.on('error', () => {}); // reconnects by itself
  }

  async publish(event: Envelope): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no PUBACK for ${event.type} ${event.id} within ${PUBLISH_TIMEOUT_MS} ms`)), PUBLISH_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.client.publishAsync(topicOf(event.type), JSON.stringify(event), { qos: 1 }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
// #endregion publisher

export type ConsumerStats = {
  name: string;
  running: boolean;
  connected: boolean;
  processed: number;
  duplicatesIgnored: number;
  lastDuplicate?: { id: string; type: EventType };
};

// #region consumer
// One per consuming service. Each message is handed to the module's handler; the PUBACK
// goes back only when the handler has committed, so a crash before that means the broker
// delivers the message again. A handler that fails (a service it needs is down) is tried
// again, with a growing pause, until it succeeds: the messages behind it wait their turn.
export class MqttConsumer {
  private url: string;
  private handlers: Handlers;
  private client: MqttClient | undefined;
  private log: (line: string) => void;
  private onHandled: () => void;
  readonly stats: ConsumerStats;

  constructor(options: { url: string; name: string; handlers: Handlers; log?: (line: string) => void; onHandled?: () => void }) {
    this.url = options.url;
    this.onHandled = options.onHandled ?? (() => {});
    this.handlers = options.handlers;
    this.log = options.log ?? ((line) => console.log(line));
    this.stats = { name: options.name, running: false, connected: false, processed: 0, duplicatesIgnored: 0 };
  }

  start(): void {
    if (this.stats.running) return;
    this.stats.running = true;
    const client = connect(this.url, `${this.stats.name}-consumer`);
    this.client = client;
    const topics = Object.keys(this.handlers).map((type) => topicOf(type as EventType));
    client.on('connect', (connack) => {
      this.stats.connected = true;
      client.subscribeAsync(topics, { qos: 1 }).then(
        async () => {
          if (connack.sessionPresent) return;
          // No session: the broker is new, or lost what it queued for us. Now that we are
          // subscribed, ask the publishers to send the recent events again.
          this.log(`consumer ${this.stats.name}: the broker has no session for us; asking for a replay`);
          await client.publishAsync(REPLAY_TOPIC, JSON.stringify({ consumer: this.stats.name }), { qos: 1 });
        },
        () => {},
      );
    });
    client.on('close', () => (this.stats.connected = false));
    client.on('error', () => {}); // reconnects by itself
    client.handleMessage = (packet, done) => {
      this.handle(packet.topic, packet.payload.toString()).then(() => done(), (error: Error) => done(error));
    };
  }

  private async handle(topic: string, payload: string): Promise<void> {
    let event: Envelope;
    try {
      event = JSON.parse(payload) as Envelope;
      if (!EVENT_TYPES.includes(event.type) || topicOf(event.type) !== topic) throw new Error('not an event of ours');
    } catch {
      this.log(`consumer ${this.stats.name}: dropped a message on ${topic} that is not an event`);
      return;
    }
    // own properties only: an event type such as `constructor` must not find Object.prototype's
    const handler = (Object.hasOwn(this.handlers, event.type) ? this.handlers[event.type] : undefined) as ((event: Envelope) => Promise<Outcome>) | undefined;
    if (!handler) return;
    for (let attempt = 1; ; attempt++) {
      if (!this.stats.running) throw new Error('the consumer was stopped');
      try {
        const outcome = await handler(event);
        this.onHandled();
        if (outcome === 'processed') this.stats.processed += 1;
        else {
          this.stats.duplicatesIgnored += 1;
          this.stats.lastDuplicate = { id: event.id, type: event.type };
          this.log(`consumer ${this.stats.name}: ${event.type} ${event.id} again; in the inbox already, ignored`);
        }
        return;
      } catch (error) {
        if (attempt === 1 || attempt % 10 === 0) {
          this.log(`consumer ${this.stats.name}: ${event.type} ${event.id} failed (${(error as Error).message}); trying again`);
        }
        await sleep(Math.min(100 * 2 ** attempt, 2_000));
      }
    }
  }
  // #endregion consumer

  // Disconnects, leaving the session on the broker: messages queue there until start().
  async stop(): Promise<void> {
    if (!this.stats.running) return;
    this.stats.running = false;
    this.stats.connected = false;
    await this.client?.endAsync(true);
    this.client = undefined;
  }
}
