// Spans around the broker hop (stage 11). The relay's publisher and each consumer's handlers
// are wrapped, so src/adapters/mqtt.ts does not change: the trace context is part of the
// event itself (`envelope.trace`, written with the event into the outbox by `withTrace`).
//
//   orchestrator  saga confirm ── outbox write: envelope.trace = this span
//   shop  publish OrderConfirmed (producer, child of the above; envelope.trace = this span)
//   notifications  process OrderConfirmed (consumer, child of the publish)

import type { Envelope, Handlers, Outcome, Publisher } from '../shared/events.ts';
import { topicOf } from '../shared/events.ts';
import { carrierOf, contextFrom, SpanKind } from './tracing.ts';
import type { TraceCarrier, Tracing } from './tracing.ts';

// An envelope as it travels from stage 11 on: the stage 8 envelope plus the trace context.
export type TracedEnvelope = Envelope & { trace?: TraceCarrier };

// What both sides say about the message (OpenTelemetry's messaging conventions), and the
// order it is about, so GET /ops/traces?orderId= finds the trace from either side.
function messageAttributes(event: Envelope): Record<string, string> {
  const { orderId } = event.data as { orderId?: unknown };
  return {
    'messaging.system': 'mqtt',
    'messaging.destination.name': topicOf(event.type),
    'messaging.message.id': event.id,
    ...(typeof orderId === 'string' ? { 'order.id': orderId } : {}),
  };
}

// #region traced-publisher
export class TracedPublisher implements Publisher {
  private inner: Publisher;
  private tracing: Tracing;

  constructor(inner: Publisher, tracing: Tracing) {
    this.inner = inner;
    this.tracing = tracing;
  }

  publish(event: TracedEnvelope): Promise<void> {
    return this.tracing.inSpan(
      `publish ${event.type}`,
      { kind: SpanKind.PRODUCER, parent: contextFrom(event.trace), attributes: messageAttributes(event) },
      // the consumer's span is a child of this one: send this span's context along
      () => this.inner.publish({ ...event, trace: carrierOf() } as TracedEnvelope),
    );
  }
}
// #endregion traced-publisher

// #region traced-handlers
// Each handler runs in a consumer span whose parent is the span that published the event:
// one trace from the HTTP request that caused it, across the broker, into this service.
export function tracedHandlers(handlers: Handlers, tracing: Tracing): Handlers {
  const traced: Record<string, (event: TracedEnvelope) => Promise<Outcome>> = {};
  for (const [type, handler] of Object.entries(handlers) as [string, (event: Envelope) => Promise<Outcome>][]) {
    traced[type] = (event) =>
      tracing.inSpan(
        `process ${event.type}`,
        { kind: SpanKind.CONSUMER, parent: contextFrom(event.trace), attributes: messageAttributes(event) },
        async (span) => {
          const outcome = await handler(event);
          span.setAttribute('messaging.outcome', outcome); // 'duplicate': the inbox had it already
          return outcome;
        },
      );
  }
  return traced as Handlers;
}
// #endregion traced-handlers
