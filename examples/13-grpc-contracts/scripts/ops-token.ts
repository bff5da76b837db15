// Prints a token for the /ops/ routes, signed with JWT_SECRET (the development secret when
// it is not set):  JWT_SECRET=... node scripts/ops-token.ts [subject] [expires-in, e.g. 8h]
import { DEV_JWT_SECRET, OPS_SCOPE, signToken } from '../src/adapters/ops-auth.ts';

const [subject = 'operator', expires = '8h'] = process.argv.slice(2);
console.log(await signToken(process.env.JWT_SECRET || DEV_JWT_SECRET, { sub: subject, scope: OPS_SCOPE, expires }));
