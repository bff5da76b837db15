// The shared black-box contract, run against stage 07's shop as three replicas behind the
// load balancer (scripts/scaled-07.ts): the API a client sees does not change when the shop
// is copied, whichever copy answers each request. The suite starts a stage with `npm start`
// in a folder, so it gets a throwaway folder whose package.json starts the script.
//
// Not a *.test.ts, on purpose: it starts six processes and takes about 50 s, so it runs by
// name: node --test drafts/10-scaling-out/test/contract-scaled.check.ts. All 69 pass since
// main's c217e93 (stages 6-7 read in a transaction); before it, 2 of 69 failed (a 500 with
// `portal "" does not exist`, and 30 concurrent buyers timing out): with five connections,
// pglite-socket mixed up reads made outside a transaction. Once ported, this is stage 10's
// own test/contract.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { contractSuite } from '../../../examples/contract/src/suite.ts';

const script = fileURLToPath(new URL('../scripts/scaled-07.ts', import.meta.url));
const stageDir = mkdtempSync(join(tmpdir(), 'scaled-07-'));
writeFileSync(join(stageDir, 'package.json'), JSON.stringify({ name: 'scaled-07', private: true, type: 'module', scripts: { start: `node ${JSON.stringify(script)}` } }));
const dataDir = join(stageDir, 'data');
after(() => rmSync(stageDir, { recursive: true, force: true }));

contractSuite(stageDir, { env: { DATA_DIR: dataDir } });
