// The shared black-box contract, run against this stage through `npm start`, as it starts (since
// stage 11 through the gateway, without a token: the public contract stays open):
// every payment made by the payments service over HTTP (the flag starts at 100 % in stage 7).
// The import is relative on purpose: Node does not strip types from files under node_modules.
// Stage 13 changes how services call each other (gRPC), not where they keep their data: the
// adapters for a real PostgreSQL (roles per service, SKIP LOCKED), Mosquitto, NATS, Redis and
// nginx are stage 12's, unchanged, and stage 12's real-infra, real-postgres, real-redis,
// database-roles, data-isolation and nginx tests check them; this stage does not run them
// again, nor give-up-timing.test.ts, which times stage 12's JSON client (the RPC client's
// policy is in rpc-client.test.ts and deadline.test.ts). What crosses the RPC hop is checked
// here: this suite over gRPC, and without-http2.test.ts runs it over the Connect fallback.
// This stage keeps its data on disk; the suite gets a data directory of its own in the OS
// temp folder, so the run leaves nothing behind in the repository.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { contractSuite } from '../../contract/src/suite.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'shop-contract-data-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

// (eight processes, the gateway last: a busy machine may need more than the default 60 s to start them)
// (load: a few seconds of load at the end, see examples/contract/src/load-suite.ts)
contractSuite(new URL('..', import.meta.url), { env: { DATA_DIR: dataDir }, load: true, startTimeoutMs: 90_000 });
