// The glossary: every named pattern and term the chapters point at, and the reading behind
// them. Chapters name terms by id in their frontmatter (`patterns:`), the content schema refuses
// an id that is not here, and /glossary/ lists every term with the chapters that use it.
// Definitions are our own words; `code` in backticks is shown as code.

export type TermKind = 'pattern' | 'anti-pattern' | 'term';

export interface GlossaryTerm {
  /** The anchor on /glossary/ and the name chapters use in `patterns:`. */
  id: string;
  name: string;
  kind: TermKind;
  /** One or two sentences. */
  definition: string;
  /** Other names the same idea goes by. */
  aka?: string[];
  /** Ids of related terms. */
  seeAlso?: string[];
  /** Ids into `readingList`. */
  reading?: string[];
  /**
   * Set when no chapter names the term on purpose: it is here for context (the alternative a
   * chapter did not take, or what a reader will meet elsewhere). Says why, in a sentence.
   */
  general?: string;
}

export interface Reading {
  id: string;
  author: string;
  title: string;
  year: number;
  kind: 'book' | 'paper' | 'article' | 'catalogue';
  /** Only well-known, stable addresses. */
  url?: string;
}

export const readingList: readonly Reading[] = [
  { id: 'newman-monolith', author: 'Sam Newman', title: 'Monolith to Microservices', year: 2019, kind: 'book' },
  { id: 'newman-building', author: 'Sam Newman', title: 'Building Microservices (2nd edition)', year: 2021, kind: 'book' },
  { id: 'richardson-patterns', author: 'Chris Richardson', title: 'Microservices Patterns', year: 2018, kind: 'book' },
  { id: 'microservices-io', author: 'Chris Richardson', title: 'A pattern language for microservices (microservices.io)', year: 2014, kind: 'catalogue', url: 'https://microservices.io/patterns/' },
  { id: 'hohpe-eip', author: 'Gregor Hohpe and Bobby Woolf', title: 'Enterprise Integration Patterns', year: 2003, kind: 'catalogue', url: 'https://www.enterpriseintegrationpatterns.com/' },
  { id: 'fowler-peaa', author: 'Martin Fowler', title: 'Patterns of Enterprise Application Architecture', year: 2002, kind: 'book' },
  { id: 'nygard-release-it', author: 'Michael T. Nygard', title: 'Release It! (2nd edition)', year: 2018, kind: 'book' },
  { id: 'kleppmann-ddia', author: 'Martin Kleppmann', title: 'Designing Data-Intensive Applications', year: 2017, kind: 'book' },
  { id: 'kleppmann-locking', author: 'Martin Kleppmann', title: 'How to do distributed locking', year: 2016, kind: 'article', url: 'https://martin.kleppmann.com/2016/02/08/how-to-do-distributed-locking.html' },
  { id: 'cockburn-hexagonal', author: 'Alistair Cockburn', title: 'Hexagonal Architecture (ports and adapters)', year: 2005, kind: 'article' },
  { id: 'ford-evolutionary', author: 'Neal Ford, Rebecca Parsons and Patrick Kua', title: 'Building Evolutionary Architectures', year: 2017, kind: 'book' },
  { id: 'ambler-refactoring-databases', author: 'Scott W. Ambler and Pramod J. Sadalage', title: 'Refactoring Databases: Evolutionary Database Design', year: 2006, kind: 'book' },
  { id: 'fowler-strangler', author: 'Martin Fowler', title: 'StranglerFigApplication', year: 2004, kind: 'article', url: 'https://martinfowler.com/bliki/StranglerFigApplication.html' },
  { id: 'fowler-branch-by-abstraction', author: 'Martin Fowler', title: 'BranchByAbstraction', year: 2014, kind: 'article', url: 'https://martinfowler.com/bliki/BranchByAbstraction.html' },
  { id: 'hodgson-toggles', author: 'Pete Hodgson', title: 'Feature Toggles (aka Feature Flags)', year: 2017, kind: 'article', url: 'https://martinfowler.com/articles/feature-toggles.html' },
  { id: 'robinson-cdc', author: 'Ian Robinson', title: 'Consumer-Driven Contracts: A Service Evolution Pattern', year: 2006, kind: 'article', url: 'https://martinfowler.com/articles/consumerDrivenContracts.html' },
  { id: 'fowler-event-driven', author: 'Martin Fowler', title: "What do you mean by “Event-Driven”?", year: 2017, kind: 'article', url: 'https://martinfowler.com/articles/201701-event-driven.html' },
  { id: 'brooker-jitter', author: 'Marc Brooker', title: 'Exponential Backoff and Jitter (AWS Architecture Blog)', year: 2015, kind: 'article', url: 'https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/' },
  { id: 'helland-beyond', author: 'Pat Helland', title: "Life beyond Distributed Transactions: an Apostate's Opinion (CIDR)", year: 2007, kind: 'paper' },
  { id: 'garcia-molina-sagas', author: 'Hector Garcia-Molina and Kenneth Salem', title: 'Sagas (SIGMOD)', year: 1987, kind: 'paper' },
  { id: 'gray-leases', author: 'Cary G. Gray and David R. Cheriton', title: 'Leases: An Efficient Fault-Tolerant Mechanism for Distributed File Cache Consistency (SOSP)', year: 1989, kind: 'paper' },
  { id: 'sigelman-dapper', author: 'Benjamin H. Sigelman and others', title: 'Dapper, a Large-Scale Distributed Systems Tracing Infrastructure (Google technical report)', year: 2010, kind: 'paper' },
  { id: 'w3c-trace-context', author: 'W3C', title: 'Trace Context (Recommendation)', year: 2021, kind: 'article', url: 'https://www.w3.org/TR/trace-context/' },
  { id: 'sre-book', author: 'Betsy Beyer, Chris Jones, Jennifer Petoff and Niall Richard Murphy (eds.)', title: 'Site Reliability Engineering', year: 2016, kind: 'book', url: 'https://sre.google/books/' },
  { id: 'twelve-factor', author: 'Adam Wiggins', title: 'The Twelve-Factor App', year: 2011, kind: 'catalogue', url: 'https://12factor.net/' },
];

export const glossary: readonly GlossaryTerm[] = [
  // Chapter 1
  { id: 'monolith', name: 'Monolith', kind: 'term', definition: 'A system built, deployed and run as one unit, usually one process. Not a fault in itself: it is fast to change and simple to run until a concrete need says otherwise.', seeAlso: ['modular-monolith'], reading: ['newman-monolith'] },
  { id: 'transaction-script', name: 'Transaction script', kind: 'pattern', definition: 'One procedure per business operation that does every step itself: validate, read, decide, write. Stage 1\'s `placeOrder` is one; it is clear until a rule has to live in several scripts at once.', reading: ['fowler-peaa'] },
  { id: 'idempotency-key', name: 'Idempotency key', kind: 'pattern', definition: 'A key the caller sends with a request that must not take effect twice. The receiver stores the key with its answer; a repeat with the same key gets the stored answer and changes nothing.', seeAlso: ['retry-with-backoff', 'idempotent-consumer'], reading: ['helland-beyond'] },
  { id: 'contract-tests', name: 'Contract tests', kind: 'pattern', definition: 'One suite of black-box tests, written once, run against every implementation that claims to keep the contract: here the shop contract against every stage, and the payments contract against both payments implementations.', seeAlso: ['consumer-driven-contracts'], reading: ['newman-building'] },
  // Chapter 2
  { id: 'ports-and-adapters', name: 'Ports and adapters', kind: 'pattern', aka: ['hexagonal architecture'], definition: 'The domain declares the interfaces it needs (ports) in its own words; adapters implement them for a database, a console or HTTP. Dependencies point into the domain, never out of it.', seeAlso: ['composition-root', 'test-double'], reading: ['cockburn-hexagonal'] },
  { id: 'composition-root', name: 'Composition root', kind: 'pattern', definition: 'The one place, near the program\'s entry point, that picks the concrete adapters and wires them together. Everything else depends only on interfaces.', seeAlso: ['ports-and-adapters'] },
  { id: 'test-double', name: 'In-memory test double', kind: 'pattern', aka: ['fake'], definition: 'A working, in-memory implementation of a port, used by tests so that the rules run in milliseconds with no I/O.', seeAlso: ['ports-and-adapters'] },
  { id: 'repository', name: 'Repository', kind: 'pattern', definition: 'An interface that looks like a collection of domain objects and hides how they are stored. The promises it makes (such as reserving every line or none) are part of its contract.', reading: ['fowler-peaa'] },
  // Chapters 3 and 4
  { id: 'database-per-service', name: 'Database per service', kind: 'pattern', aka: ['schema per service', 'private tables per service'], definition: 'Each module or service owns its data, and nobody else reads or writes it except through the owner\'s interface. The stages keep one database server and give each owner a schema of its own, one of the ways the pattern is commonly implemented.', seeAlso: ['shared-database'], reading: ['microservices-io', 'richardson-patterns'] },
  { id: 'shared-database', name: 'Shared database', kind: 'anti-pattern', aka: ['integration database'], definition: 'Several modules or services read and write the same tables, or join and reference across each other\'s tables. Convenient at first; later no owner can change a table, and no module can move without the others.', seeAlso: ['database-per-service'], reading: ['newman-monolith', 'microservices-io'] },
  { id: 'database-migrations', name: 'Versioned migrations', kind: 'pattern', definition: 'Schema changes as numbered scripts, applied in order, each once, and recorded in the database itself. A script that has run anywhere is never edited; the next number changes it.', reading: ['ambler-refactoring-databases'] },
  { id: 'pessimistic-locking', name: 'Pessimistic locking', kind: 'pattern', aka: ['row locks', '`SELECT … FOR UPDATE`'], definition: 'Lock the rows you are about to change inside a transaction, so a competing transaction waits instead of acting on stale values. Take locks in one fixed order to avoid deadlocks.', seeAlso: ['optimistic-locking'], reading: ['fowler-peaa'] },
  { id: 'fitness-function', name: 'Architecture fitness function', kind: 'pattern', definition: 'An automated check of an architectural rule (no foreign key between schemas, no import past a module\'s door) that runs on every build or start, so the rule holds without anyone remembering it.', reading: ['ford-evolutionary'] },
  { id: 'modular-monolith', name: 'Modular monolith', kind: 'pattern', definition: 'One deployable unit made of modules with enforced boundaries: each owns its code and data and exposes one public interface. Boundaries stay cheap to move until a split is worth it.', seeAlso: ['monolith', 'database-per-service'], reading: ['newman-monolith'] },
  { id: 'api-composition', name: 'API composition', kind: 'pattern', definition: 'Answer a question that spans several owners by asking each through its public interface and combining the answers in memory, instead of joining their tables.', seeAlso: ['shared-database'], reading: ['microservices-io', 'richardson-patterns'] },
  // Chapter 5
  { id: 'domain-event', name: 'Domain event', kind: 'pattern', definition: 'A record that something happened in the business (`OrderConfirmed`), named in the past tense, with an id. Whoever cares reacts; the publisher does not know who that is.', seeAlso: ['command-and-event', 'publish-subscribe'], reading: ['fowler-event-driven'] },
  { id: 'command-and-event', name: 'Command and event', kind: 'term', definition: 'A command asks one receiver to do something and needs its answer now (charge this card); an event tells anyone interested that something has happened and needs no answer.', seeAlso: ['domain-event'], reading: ['fowler-event-driven'] },
  { id: 'publish-subscribe', name: 'Publish-subscribe', kind: 'pattern', definition: 'Publishers send messages to a named channel, topic or event type; every subscriber of it gets a copy. Publisher and subscribers do not know each other.', seeAlso: ['competing-consumers'], reading: ['hohpe-eip'] },
  { id: 'event-carried-state-transfer', name: 'Event-carried state transfer', kind: 'pattern', definition: 'An event carries the data its consumers need (the customer, the total), so no consumer has to call back the publisher to ask.', reading: ['fowler-event-driven'] },
  { id: 'transactional-outbox', name: 'Transactional outbox', kind: 'pattern', definition: 'Write the event to an outbox table in the same transaction as the state change, and let a separate relay publish it afterwards. Both are saved or neither is, so no committed change loses its event.', seeAlso: ['polling-publisher', 'change-data-capture', 'idempotent-consumer'], reading: ['microservices-io', 'richardson-patterns'] },
  { id: 'polling-publisher', name: 'Polling publisher', kind: 'pattern', definition: 'The outbox relay reads undelivered rows with an ordinary query, publishes them, then marks them delivered. The stages poll on a timer and are also woken after each commit.', seeAlso: ['transactional-outbox', 'change-data-capture'], reading: ['microservices-io'] },
  { id: 'change-data-capture', name: 'Change data capture', kind: 'pattern', aka: ['transaction log tailing'], definition: 'Read the database\'s own change log (PostgreSQL\'s logical replication, MySQL\'s binlog) and turn committed outbox rows into messages, without polling queries. Debezium is a common tool for it.', seeAlso: ['polling-publisher', 'transactional-outbox'], reading: ['microservices-io', 'kleppmann-ddia'], general: 'The alternative to the polling publisher of chapters 5, 8 and 10. No stage does it: the relay stays a loop short enough to read, where change data capture would add a connector process and a replication slot to run.' },
  { id: 'idempotent-consumer', name: 'Idempotent consumer', kind: 'pattern', aka: ['inbox'], definition: 'A consumer records the id of each message it handled in the same transaction as the message\'s effect, so a second delivery finds the id and changes nothing.', seeAlso: ['at-least-once-delivery', 'idempotency-key'], reading: ['microservices-io', 'hohpe-eip'] },
  { id: 'at-least-once-delivery', name: 'At-least-once delivery', kind: 'term', definition: 'The promise that a message is delivered one or more times, never zero: the sender repeats until it hears an acknowledgement. Duplicates are the price; idempotent consumers pay it.', seeAlso: ['idempotent-consumer'], reading: ['kleppmann-ddia'] },
  { id: 'tolerant-reader', name: 'Tolerant reader', kind: 'pattern', aka: ['schema evolution'], definition: 'A consumer reads only the fields it needs and ignores those it does not know, so a producer can add a field without a lockstep release. A change it cannot absorb (a field renamed, removed or given a new meaning) needs a new version of the message, published beside the old one until nobody reads the old.', seeAlso: ['consumer-driven-contracts'], reading: ['kleppmann-ddia'] },
  { id: 'eventual-consistency', name: 'Eventual consistency', kind: 'term', definition: 'Copies or related records may disagree for a while after a change, and agree once the messages in flight are handled. A reader straight after a write may not see its effects yet.', reading: ['kleppmann-ddia', 'helland-beyond'] },
  // Chapter 6
  { id: 'strangler-fig', name: 'Strangler fig', kind: 'pattern', definition: 'Replace a part of a running system step by step: put the new implementation beside the old one, move traffic to it gradually, and remove the old part only when nothing uses it.', seeAlso: ['branch-by-abstraction', 'parallel-run'], reading: ['fowler-strangler', 'newman-monolith'] },
  { id: 'branch-by-abstraction', name: 'Branch by abstraction', kind: 'pattern', definition: 'Make a large change on the main line: introduce an abstraction in front of the old code, build the new implementation behind it, switch callers over, then delete the old one. Callers never notice.', seeAlso: ['strangler-fig', 'feature-flag'], reading: ['fowler-branch-by-abstraction', 'newman-monolith'] },
  { id: 'parallel-run', name: 'Parallel run', kind: 'pattern', aka: ['dark launch', 'shadowing'], definition: 'Send each call to both the old and the new implementation, answer with one of them, and log where the two disagree. The second one must not have side effects the customer would feel.', seeAlso: ['strangler-fig'], reading: ['newman-monolith'] },
  { id: 'feature-flag', name: 'Feature flag', kind: 'pattern', aka: ['feature toggle', 'percentage rollout'], definition: 'A setting, changeable at run time, that decides which code path runs, for everybody or for a share of requests. Lets a switch go forward and back without a deploy.', reading: ['hodgson-toggles'] },
  { id: 'consumer-driven-contracts', name: 'Consumer-driven contracts', kind: 'pattern', definition: 'Each consumer of a service writes down the part of its interface it relies on, as tests; the provider runs all of them in its own build, so it knows which change breaks whom. Pact is a well-known tool.', seeAlso: ['contract-tests'], reading: ['robinson-cdc', 'newman-building'], general: 'No stage does it: chapter 6\'s payments contract is one suite written beside the interface and run against every implementation, a step short of consumers owning their parts.' },
  { id: 'process-supervisor', name: 'Process supervisor', kind: 'pattern', aka: ['restart policy'], definition: 'A parent that starts processes, waits for their health checks and restarts one that dies, waiting longer after each quick crash. Container runtimes and Kubernetes do this job in production.', seeAlso: ['health-check'] },
  // Chapter 7
  { id: 'timeout', name: 'Timeout', kind: 'pattern', definition: 'A limit on how long a caller waits for an answer. Without one, a slow dependency makes its callers slow too, and their callers after them.', seeAlso: ['retry-with-backoff', 'circuit-breaker'], reading: ['nygard-release-it'] },
  { id: 'retry-with-backoff', name: 'Retry with exponential backoff and jitter', kind: 'pattern', definition: 'Try a failed call again, only for failures that may pass, a limited number of times, waiting a random time up to a ceiling that doubles each time, so that many clients do not retry in step.', seeAlso: ['idempotency-key', 'timeout'], reading: ['brooker-jitter', 'nygard-release-it'] },
  { id: 'circuit-breaker', name: 'Circuit breaker', kind: 'pattern', definition: 'After a run of failures, stop calling a dependency for a while and fail at once (open); then let one trial call through (half-open) and close again if it succeeds.', seeAlso: ['timeout', 'retry-with-backoff'], reading: ['nygard-release-it'] },
  { id: 'fault-injection', name: 'Fault injection', kind: 'pattern', definition: 'Make a dependency slow, failing or silent on purpose, under control and reproducibly, to watch the system\'s defences work before a real fault tests them.', reading: ['nygard-release-it'] },
  // Chapter 8
  { id: 'choreography', name: 'Choreography', kind: 'pattern', definition: 'A multi-step process with no one in charge: each service reacts to the others\' events and publishes its own. Loosely coupled, but where an order stands is spread over several logs.', seeAlso: ['orchestration', 'saga'], reading: ['richardson-patterns', 'newman-building'] },
  { id: 'durable-subscription', name: 'Durable subscription', kind: 'pattern', aka: ['persistent session'], definition: 'The broker remembers a subscriber that is away and keeps its messages until it comes back (MQTT\'s `clean: false` sessions with QoS 1).', reading: ['hohpe-eip'] },
  { id: 'dead-letter-queue', name: 'Dead letter queue', kind: 'pattern', aka: ['dead letter channel'], definition: 'A place for messages or jobs that failed too often, kept with their error for a person to look at, so one bad message does not block or loop forever.', reading: ['hohpe-eip'] },
  // Chapter 9
  { id: 'saga', name: 'Saga', kind: 'pattern', definition: 'A business transaction across services as a sequence of local transactions, each with a compensation; when a step fails, the compensations of the steps that took effect run in reverse.', seeAlso: ['compensating-transaction', 'orchestration', 'choreography', 'two-phase-commit'], reading: ['garcia-molina-sagas', 'richardson-patterns'] },
  { id: 'compensating-transaction', name: 'Compensating transaction', kind: 'pattern', definition: 'A new action that undoes the business effect of an earlier, already committed one (release the stock, refund the charge). It cannot erase that the first one happened.', seeAlso: ['saga'], reading: ['garcia-molina-sagas'] },
  { id: 'orchestration', name: 'Orchestration', kind: 'pattern', definition: 'One component (the orchestrator) directs the steps of a process, sends each command and decides the next step from the answer. Easier to follow than choreography, at the price of a central part.', seeAlso: ['choreography', 'saga'], reading: ['richardson-patterns'] },
  { id: 'two-phase-commit', name: 'Two-phase commit', kind: 'term', aka: ['2PC', 'distributed transaction'], definition: 'A coordinator asks every participant to prepare, then tells all to commit or all to abort. Atomic across services, but participants hold their locks while they wait, and a lost coordinator blocks them.', seeAlso: ['saga'], reading: ['kleppmann-ddia'] },
  { id: 'optimistic-locking', name: 'Optimistic locking', kind: 'pattern', aka: ['compare-and-set'], definition: 'Read a version number with the data and write only if the version is still the same (`… WHERE version = $n`). A writer that lost the race changes nothing and finds out.', seeAlso: ['pessimistic-locking'], reading: ['fowler-peaa'] },
  // Chapter 10
  { id: 'stateless-service', name: 'Stateless service', kind: 'pattern', aka: ['horizontal scaling'], definition: 'A process that keeps nothing a later request needs, so any copy can answer any request, and copies can be added, removed or restarted freely.', seeAlso: ['load-balancer'], reading: ['twelve-factor'] },
  { id: 'load-balancer', name: 'Load balancer', kind: 'pattern', definition: 'One address in front of several copies that spreads requests among the healthy ones (round robin here) and takes a failing copy out of rotation.', seeAlso: ['health-check', 'stateless-service'], reading: ['sre-book'] },
  { id: 'health-check', name: 'Health check', kind: 'pattern', definition: 'An endpoint or probe that says whether a process answers. Active checks ask on a timer; passive checks watch real traffic for failures.', seeAlso: ['liveness-and-readiness', 'load-balancer'], reading: ['microservices-io'] },
  { id: 'competing-consumers', name: 'Competing consumers', kind: 'pattern', definition: 'Several workers take work from one queue, and each item goes to one of them. Add workers to go faster; none needs to know the others.', seeAlso: ['lease', 'publish-subscribe'], reading: ['hohpe-eip'] },
  { id: 'lease', name: 'Lease', kind: 'pattern', definition: 'A claim that runs out on its own: a worker holds a job until a deadline, and if it dies or stalls, the job is free again when the time is up. The price is waiting out the lease.', seeAlso: ['fencing-token', 'heartbeat'], reading: ['gray-leases', 'kleppmann-ddia'] },
  { id: 'fencing-token', name: 'Fencing token', kind: 'pattern', definition: 'A number that grows with every new claim (here the job\'s attempt number). A write is accepted only with the current number, so a worker whose lease ran out cannot overwrite its successor\'s work.', seeAlso: ['lease'], reading: ['kleppmann-locking', 'kleppmann-ddia'] },
  { id: 'heartbeat', name: 'Heartbeat', kind: 'pattern', definition: 'A periodic "still alive and working" signal, here renewing a lease while a long job runs, so a slow worker is not mistaken for a dead one.', seeAlso: ['lease'] },
  { id: 'graceful-shutdown', name: 'Graceful shutdown', kind: 'pattern', definition: 'On a stop signal, take no new work, give the work in hand a short time to finish, and hand back what cannot finish, so a deploy or a scale-down loses nothing.', reading: ['twelve-factor'] },
  // Chapter 11
  { id: 'api-gateway', name: 'API gateway', kind: 'pattern', definition: 'The single entry point in front of the services: it routes each request to the service that answers it and applies what every request needs once (authentication, rate limits, request ids).', seeAlso: ['rate-limiting'], reading: ['microservices-io', 'richardson-patterns'] },
  { id: 'cache-aside', name: 'Cache-aside', kind: 'pattern', aka: ['lazy loading'], definition: 'The reader looks in the cache first; on a miss it reads the source and puts the answer in the cache with a time-to-live. Writers (or the events of a change) delete the entries they make wrong, and the time-to-live bounds how stale a missed deletion leaves one.', seeAlso: ['rate-limiting'], reading: ['kleppmann-ddia'] },
  { id: 'rate-limiting', name: 'Rate limiting (token bucket)', kind: 'pattern', definition: 'Each client has a bucket of tokens that refills at a fixed rate; a request takes one, and a request that finds the bucket empty is refused with a time to wait. Bursts pass, floods do not.', seeAlso: ['api-gateway'], reading: ['sre-book'] },
  { id: 'liveness-and-readiness', name: 'Liveness and readiness', kind: 'pattern', definition: 'Two different health questions. Liveness: is the process working at all? If not, restart it. Readiness: can it serve right now? If not, send it no traffic, but do not restart it.', seeAlso: ['health-check'], reading: ['sre-book'] },
  { id: 'structured-logging', name: 'Structured logging', kind: 'pattern', definition: 'Log lines as machine-readable records (one JSON object per line) with named fields, so logs from many processes can be filtered and joined by a field such as the request id.', seeAlso: ['correlation-id'], reading: ['microservices-io'] },
  { id: 'correlation-id', name: 'Correlation id', kind: 'pattern', aka: ['request id'], definition: 'An id given to a request at the edge and carried along by every call, message and job it causes, so every log line about it can be found.', seeAlso: ['structured-logging', 'distributed-tracing'], reading: ['hohpe-eip'] },
  { id: 'metrics', name: 'Application metrics', kind: 'pattern', definition: 'Counters, gauges and histograms each process exposes, scraped over time, from which rates and percentiles are computed. Labels must come from small sets of values.', reading: ['sre-book'] },
  { id: 'distributed-tracing', name: 'Distributed tracing', kind: 'pattern', definition: 'Follow one piece of work through every process it touches as a tree of timed spans, with the trace context passed along in headers, messages and stored rows.', seeAlso: ['correlation-id'], reading: ['sigelman-dapper', 'w3c-trace-context'] },
  // Chapter 12
  { id: 'externalized-configuration', name: 'Externalized configuration', kind: 'pattern', aka: ['config in the environment'], definition: 'Everything that differs between deployments (database and broker addresses, secrets) comes from the environment, so the same build runs everywhere.', reading: ['twelve-factor'] },
  // Chapter 13
  { id: 'typed-rpc', name: 'Typed RPC from a contract', kind: 'pattern', aka: ['gRPC', 'interface definition language'], definition: 'Each call between services is written once in a language-neutral contract (a `.proto` file for gRPC), and the client and server code is generated from it, so a caller that sends the wrong shape fails to compile rather than at run time.', seeAlso: ['contract-tests', 'tolerant-reader'], reading: ['newman-building', 'kleppmann-ddia'] },
  { id: 'deadline-propagation', name: 'Deadline propagation', kind: 'pattern', definition: 'A call carries the time its caller is still willing to wait, and the service hands what is left of it to the calls it makes, so nobody keeps working on an answer that no one waits for any more.', seeAlso: ['timeout', 'retry-with-backoff'], reading: ['sre-book'] },
];

const byId = new Map(glossary.map((term) => [term.id, term]));
const readings = new Map(readingList.map((reading) => [reading.id, reading]));

export const glossaryIds: readonly string[] = glossary.map((term) => term.id);

export function termById(id: string): GlossaryTerm {
  const term = byId.get(id);
  if (!term) throw new Error(`no glossary term "${id}" in site/lib/glossary.ts`);
  return term;
}

export function readingById(id: string): Reading {
  const reading = readings.get(id);
  if (!reading) throw new Error(`no reading "${id}" in site/lib/glossary.ts`);
  return reading;
}
