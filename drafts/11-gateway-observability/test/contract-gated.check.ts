// The shared black-box contract, run through the gateway (scripts/gated-08.ts: stage 08
// behind the gateway): routing, pass-through of bodies, statuses and headers, and a rate
// limit generous enough for the suite's bursts. Not a *.test.ts, on purpose: it starts eight
// processes and takes a minute, so it runs by name:
//   node --test drafts/11-gateway-observability/test/contract-gated.check.ts
// Once ported, stage 11's own test/contract.test.ts does the same against `npm start`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { contractSuite } from '../../../examples/contract/src/suite.ts';

const script = fileURLToPath(new URL('../scripts/gated-08.ts', import.meta.url));
const stageDir = mkdtempSync(join(tmpdir(), 'gated-08-'));
writeFileSync(join(stageDir, 'package.json'), JSON.stringify({ name: 'gated-08', private: true, type: 'module', scripts: { start: `node ${JSON.stringify(script)}` } }));
const dataDir = join(stageDir, 'data');
after(() => rmSync(stageDir, { recursive: true, force: true }));

contractSuite(stageDir, { env: { DATA_DIR: dataDir } });
