// The same shared contract with every payment made by the payments service (the flag at
// 100 %) and the parallel run on: the in-process module's shadow answers every call too.
// Nothing a client can see may change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { contractSuite } from '../../contract/src/suite.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'shop-contract-service-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

contractSuite(new URL('..', import.meta.url), { env: { DATA_DIR: dataDir, PAYMENTS_SERVICE: '100', SHADOW: '1' } });
