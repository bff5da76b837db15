// The shared black-box contract, run against this stage through `npm start`.
// The import is relative on purpose: Node does not strip types from files under node_modules.
import { contractSuite } from '../../contract/src/suite.ts';

contractSuite(new URL('..', import.meta.url));
