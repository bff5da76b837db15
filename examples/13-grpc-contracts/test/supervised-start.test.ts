// A service whose supervisor is gone before it is up must stop at once (the shared test in
// examples/contract/src/supervised-start.ts says why). Run on its own:
// node --test test/supervised-start.test.ts
import { supervisedStartSuite } from '../../contract/src/supervised-start.ts';

supervisedStartSuite(new URL('../src/', import.meta.url));
