// The thirteen stages of the path, shown on the home page even before a stage's chapter exists,
// so a reader sees the whole journey and where each lesson sits on it.
export interface PathStage {
  number: number;
  slug: string;
  title: string;
  lesson: string;
}

export const path: readonly PathStage[] = [
  { number: 1, slug: '01-single-file', title: 'One file', lesson: 'Working software first; see where it hurts.' },
  { number: 2, slug: '02-ports-and-adapters', title: 'Ports and adapters', lesson: 'The domain depends on interfaces; main picks the concrete types.' },
  { number: 3, slug: '03-real-persistence', title: 'Real persistence', lesson: 'Each module owns its tables in its own schema.' },
  { number: 4, slug: '04-modular-monolith', title: 'Modular monolith', lesson: 'One public interface per module, enforced by a checker.' },
  { number: 5, slug: '05-events-and-outbox', title: 'Events and the outbox', lesson: 'State and event saved in one transaction; delivered at least once.' },
  { number: 6, slug: '06-extract-payments', title: 'Extract a service', lesson: 'An HTTP client behind the interface the monolith already used.' },
  { number: 7, slug: '07-surviving-the-network', title: 'Surviving the network', lesson: 'Timeouts, retries, idempotency keys and a circuit breaker.' },
  { number: 8, slug: '08-message-broker', title: 'A message broker', lesson: 'Asynchronous events between processes, at least once.' },
  { number: 9, slug: '09-saga', title: 'A saga', lesson: 'A business transaction across services, undone by compensation.' },
  { number: 10, slug: '10-scaling-out', title: 'Scaling out', lesson: 'Stateless replicas behind a balancer; a durable job queue.' },
  { number: 11, slug: '11-gateway-and-observability', title: 'Gateway and observability', lesson: 'One entry point; logs, metrics and traces across services.' },
  { number: 12, slug: '12-running-it-for-real', title: 'Running it for real', lesson: 'Real infrastructure, and when to split at all.' },
  { number: 13, slug: '13-grpc-contracts', title: 'Contracts that compile', lesson: 'gRPC between services; proto contracts that evolve without breaking callers.' },
];
