// The stage where node:http2 does not exist (WebContainer's support for it is unknown): every
// process of `npm start` runs with test/no-http2.ts loaded first (NODE_OPTIONS), so any import
// of node:http2 fails as it would there. Nothing may load it eagerly: the services start, serve
// their RPCs over HTTP/1.1, the orchestrator's probe chooses the Connect protocol, and the whole
// shop contract passes over that fallback (contract.test.ts runs it over gRPC).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { contractSuite } from '../../contract/src/suite.ts';

// The fuzz and the hostile targets try the gateway's HTTP parsing, which is the same whichever
// protocol the saga speaks behind it: they run in full over gRPC (contract.test.ts), and a few
// runs here show the fallback changes nothing of it.
process.env.CONTRACT_FUZZ_RUNS ??= '8';
process.env.CONTRACT_HOSTILE_RUNS ??= '8';

const dataDir = mkdtempSync(join(tmpdir(), 'shop-no-http2-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const noHttp2 = fileURLToPath(new URL('no-http2.ts', import.meta.url));

contractSuite(new URL('..', import.meta.url), {
  env: { DATA_DIR: dataDir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${JSON.stringify(noHttp2)}`.trim() },
  startTimeoutMs: 90_000,
  more: (stage) =>
    describe('without node:http2', () => {
      it('no process had node:http2; RPCs were served over HTTP/1.1, and the saga chose the Connect protocol', () => {
        const lines = stage().output().split('\n');
        for (const service of ['payments', 'inventory']) {
          assert.ok(
            lines.some((line) => new RegExp(`^${service}\\s+\\|`).test(line) && line.includes('node:http2 is missing here')),
            `${service} says it serves RPCs over HTTP/1.1 only`,
          );
        }
        assert.ok(lines.some((line) => /^orchestrator\s+\|/.test(line) && line.includes('over the Connect protocol (HTTP/1.1)')), 'the orchestrator chose the Connect protocol');
        assert.ok(!lines.some((line) => line.includes('over gRPC (HTTP/2)')), 'nobody chose gRPC');
      });
    }),
});
