// The broker port on an event LOG: NATS JetStream, with the nats.js client. BROKER_URL=nats://...
// picks it (src/adapters/broker.ts); the browser and `npm start` without BROKER_URL keep MQTT.
//
// What changes from MQTT (src/adapters/mqtt.ts):
// - the events are kept: one stream, SHOP_EVENTS, stores every event on disk for
//   RETENTION_DAYS, whether or not anybody has read it. Nothing needs replaying from the
//   outboxes: a consumer reads the log, and anyone may read it again from the start
//   (readStream below, scripts/replay.ts);
// - each event's subject names its type AND its order (shop.events.OrderConfirmed.ord_7), so
//   a reader can ask for one order's events, and the log keeps each order's events in the
//   order the relay published them;
// - a consumer is a DURABLE consumer on the server: a name, and the position of the last
//   event it acked. Processes that use the same name are competing consumers of it; a
//   consumer that crashes or restarts carries on after its last ack;
// - acks are explicit and sent only after the handler committed, as the MQTT PUBACK was; the
//   inbox of the handler still drops a second delivery.

import { connect, nanos } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerMessages, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { EVENT_TYPES } from '../shared/events.ts';
import type { Envelope, Handlers, Outcome, Publisher } from '../shared/events.ts';
import type { ConsumerStats } from './mqtt.ts';

// #region stream
export const STREAM = 'SHOP_EVENTS';
export const SUBJECTS = 'shop.events.>';
// How long the log keeps an event: a week, long enough to replay a read model or debug an order.
export const RETENTION_DAYS = 7;
// How long the server waits for an ack before it delivers the event again. A handler still at
// work says so (working()) every WORKING_MS, so only a consumer that died lets it lapse.
export const ACK_WAIT_MS = 5_000;
const WORKING_MS = 2_000;
const PUBLISH_TIMEOUT_MS = 5_000;

// shop.events.<type>.<orderId>: every event of the shop is about one order.
export const subjectOf = (event: Envelope) => `shop.events.${event.type}.${event.data.orderId}`;
// #endregion stream

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function within<T>(promise: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(why)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// One connection per process, reconnecting for good: the server may restart under us.
function connectTo(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 250, waitOnFirstConnect: true, timeout: 2_000 });
}

// #region ensure-stream
// The stream is made by whoever comes first, publisher or consumer; adding it again with the
// same settings changes nothing.
async function ensureStream(jsm: JetStreamManager): Promise<void> {
  await jsm.streams.add({
    name: STREAM,
    subjects: [SUBJECTS],
    retention: RetentionPolicy.Limits, // kept by age, not deleted once read (a log, not a queue)
    storage: StorageType.File,
    max_age: nanos(RETENTION_DAYS * 24 * 60 * 60 * 1_000),
  });
}
// #endregion ensure-stream

// #region publisher
// Publishes each event and resolves on the server's PubAck: the event is in the stream. The
// options mirror MqttPublisher's; no consumer ever asks a log for a replay, so onReplay is
// never called.
export class JetStreamPublisher implements Publisher {
  private connection: Promise<NatsConnection>;
  private stream: Promise<void> | undefined;
  private closed = false;

  constructor(options: { url: string; name: string; onReplay?: (why: string) => void }) {
    this.connection = connectTo(options.url, `${options.name}-publisher`);
    // closed before the server ever answered: the connection is closed once it is made
    this.connection.then(
      (nc) => {
        if (this.closed) void nc.close();
      },
      () => {}, // publish() reports a failure
    );
  }

  async publish(event: Envelope): Promise<void> {
    // a server that is not up yet fails the publish, as one that stops answering does: the
    // relay says so and tries again, and the event stays in the outbox meanwhile
    const nc = await within(this.connection, PUBLISH_TIMEOUT_MS, `no connection to the NATS server within ${PUBLISH_TIMEOUT_MS} ms`);
    // made once; a failure (JetStream not enabled on the server, say) is tried again next time
    this.stream ??= jetstreamManager(nc).then(ensureStream).catch((error: unknown) => {
      this.stream = undefined;
      throw error;
    });
    await this.stream;
    // a PubAck names the stream and the event's sequence number in it
    await jetstream(nc).publish(subjectOf(event), JSON.stringify(event), { timeout: PUBLISH_TIMEOUT_MS });
  }

  async close(): Promise<void> {
    this.closed = true;
    const nc = await within(this.connection, 0, 'not connected').catch(() => undefined);
    await nc?.close();
  }
}
// #endregion publisher

// #region consumer
// One per consuming service, under the service's name as its durable consumer. One event at a
// time (max_ack_pending 1): the next is delivered once this one is acked, so each order's
// events are handled in the order of the log even when a consumer dies holding one, and the
// competing processes of one service never handle two events of one order at once.
export class JetStreamConsumer {
  private url: string;
  private handlers: Handlers;
  private log: (line: string) => void;
  private onHandled: () => void;
  private nc: NatsConnection | undefined;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  readonly stats: ConsumerStats;

  constructor(options: { url: string; name: string; handlers: Handlers; log?: (line: string) => void; onHandled?: () => void }) {
    this.url = options.url;
    this.handlers = options.handlers;
    this.log = options.log ?? ((line) => console.log(line));
    this.onHandled = options.onHandled ?? (() => {});
    this.stats = { name: options.name, running: false, connected: false, processed: 0, duplicatesIgnored: 0 };
  }

  start(): void {
    if (this.stats.running) return;
    this.stats.running = true;
    this.loop = (async () => {
      const nc = await connectTo(this.url, `${this.stats.name}-consumer`);
      this.nc = nc;
      if (!this.stats.running) return void (await nc.close()); // stopped while connecting
      this.stats.connected = true;
      void (async () => {
        for await (const status of nc.status()) {
          if (status.type === 'disconnect') this.stats.connected = false;
          if (status.type === 'reconnect') this.stats.connected = true;
        }
      })();
      // a stream or consumer that cannot be made (JetStream off, the server's storage full)
      // is tried again every second, as a broker that is down is
      while (this.stats.running) {
        try {
          await this.consume(nc);
        } catch (error) {
          if (this.stats.running) this.log(`consumer ${this.stats.name}: ${(error as Error).message}; trying again`);
          await sleep(1_000);
        }
      }
    })().catch((error: Error) => this.log(`consumer ${this.stats.name}: ${error.message}`));
  }

  private async consume(nc: NatsConnection): Promise<void> {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm);
    // #region durable
    // Adding a durable consumer that exists with these settings changes nothing; its position
    // (the last event acked) stays on the server. A new one starts at the log's first event,
    // so a service added later reads the whole history (its inbox drops what it had).
    await jsm.consumers.add(STREAM, {
      durable_name: this.stats.name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: SUBJECTS,
      ack_wait: nanos(ACK_WAIT_MS),
      max_ack_pending: 1,
      max_deliver: -1,
    });
    // #endregion durable
    const consumer = await jetstream(nc).consumers.get(STREAM, this.stats.name);
    if (!this.stats.running) return;
    this.messages = await consumer.consume({ max_messages: 1 });
    for await (const message of this.messages) {
      await this.handle(message);
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    let event: Envelope;
    try {
      event = message.json<Envelope>();
      if (!EVENT_TYPES.includes(event.type) || subjectOf(event) !== message.subject) throw new Error('not an event of ours');
    } catch {
      this.log(`consumer ${this.stats.name}: dropped a message on ${message.subject} that is not an event`);
      message.term(); // never deliver it again
      return;
    }
    // own properties only: an event type such as `constructor` must not find Object.prototype's
    const handler = (Object.hasOwn(this.handlers, event.type) ? this.handlers[event.type] : undefined) as ((event: Envelope) => Promise<Outcome>) | undefined;
    if (!handler) return void (await message.ackAck());
    const working = setInterval(() => message.working(), WORKING_MS);
    try {
      for (let attempt = 1; ; attempt++) {
        if (!this.stats.running) {
          message.nak(); // deliver it again at once, to whoever reads next
          return;
        }
        try {
          const outcome = await handler(event);
          // #region ack-after-commit
          // The handler committed: now the ack, and the server's answer to it (ackAck), so a
          // consumer killed after this line does not get this event again.
          await message.ackAck();
          // #endregion ack-after-commit
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
    } finally {
      clearInterval(working);
    }
  }
  // #endregion consumer

  // Disconnects; the durable consumer stays on the server with its position, and the events
  // published meanwhile wait in the stream until start().
  async stop(): Promise<void> {
    if (!this.stats.running) return;
    this.stats.running = false;
    this.stats.connected = false;
    await this.messages?.close();
    // the loop ends with the event in hand (nak'ed); one still connecting ends when it connects
    if (this.nc) await this.loop;
    await this.nc?.close();
    this.messages = undefined;
    this.nc = undefined;
  }
}

// #region read-stream
// Reads the whole log from its first event (or from `fromSeq`) to its last, in order, with an
// ordered consumer of its own that leaves no trace on the server: the replay that rebuilds a
// read model. Returns the number of events read.
export async function readStream(url: string, visit: (event: Envelope, seq: number) => void, fromSeq = 1): Promise<number> {
  const nc = await connectTo(url, 'stream-reader');
  try {
    const js = jetstream(nc);
    const last = (await (await jetstreamManager(nc)).streams.info(STREAM)).state.last_seq;
    if (last < fromSeq) return 0;
    const reader = await js.consumers.get(STREAM, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: fromSeq });
    const messages = await reader.consume();
    let read = 0;
    for await (const message of messages) {
      visit(message.json<Envelope>(), message.seq);
      read += 1;
      if (message.seq >= last) break;
    }
    return read;
  } finally {
    await nc.close();
  }
}
// #endregion read-stream

