// Who may operate the stage (stage 11): the /ops/* routes (fault injection, flags, the
// consumers, the traces ...) need a JSON Web Token signed with the gateway's secret (HS256)
// whose `scope` includes `ops`. The shop's public contract stays open.
//
//   Authorization: Bearer <token>
//   no token, a malformed one, a bad signature, an expired one   401 unauthorized
//   a good token without the `ops` scope                         403 forbidden
//
// Verification is jose's (a maintained, dependency-free JOSE library): it checks the
// signature in constant time, refuses any algorithm but the one we name (a token saying
// `"alg": "none"` or RS256 is not "verified" by accident), and checks `exp` and `nbf`.

import { errors, jwtVerify, SignJWT } from 'jose';

// #region dev-token
// For development only: the secret the gateway uses when JWT_SECRET is not set, and a token
// signed with it (sub "dev-operator", scope "ops", no expiry). The chapter's ready-made ops
// requests send it. Any other JWT_SECRET makes it worthless, which is the point: set one
// (32 characters or more) wherever the stage is reachable by anyone but you.
export const DEV_JWT_SECRET = 'shop-dev-secret-only-for-local-use';
export const DEV_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzY29wZSI6Im9wcyIsInN1YiI6ImRldi1vcGVyYXRvciIsImlhdCI6MTc2NDM3NDQwMH0.Gz5Yt8lJgxzGQ7p72BRh9Qvw8B8lQcGbxMagwFYnQEM';
// #endregion dev-token

export const OPS_SCOPE = 'ops';

export type AuthResult =
  | { ok: true; subject: string }
  | { ok: false; status: 401 | 403; code: 'unauthorized' | 'forbidden'; message: string };

const unauthorized = (message: string): AuthResult => ({ ok: false, status: 401, code: 'unauthorized', message });

// #region verify
export function createOpsAuth(secret: string) {
  const key = new TextEncoder().encode(secret);
  return async function verify(authorization: string | undefined): Promise<AuthResult> {
    if (!authorization) return unauthorized('the /ops/ routes need a token: send Authorization: Bearer <token> (the chapter gives a development token)');
    const match = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(authorization);
    if (!match) return unauthorized('the Authorization header must be "Bearer <token>"');
    try {
      const { payload } = await jwtVerify(match[1]!, key, { algorithms: ['HS256'], clockTolerance: 5 });
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      const subject = payload.sub ?? 'someone';
      if (!scopes.includes(OPS_SCOPE)) {
        return { ok: false, status: 403, code: 'forbidden', message: `the token of ${subject} is valid but has no "${OPS_SCOPE}" scope` };
      }
      return { ok: true, subject };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return unauthorized('the token has expired');
      if (error instanceof errors.JWSSignatureVerificationFailed) return unauthorized('the token was not signed with this gateway\'s secret');
      if (error instanceof errors.JOSEAlgNotAllowed) return unauthorized('the token must be signed with HS256');
      if (error instanceof errors.JWTClaimValidationFailed) return unauthorized(`the token is not valid: ${error.message}`);
      return unauthorized('the token is not a well-formed JWT');
    }
  };
}
// #endregion verify

// Makes a token (scripts/ops-token.ts uses it with your own JWT_SECRET; the tests too).
// `expires`: from now ("8h", "30m") or an absolute time in seconds since 1970.
export async function signToken(secret: string, claims: { sub: string; scope?: string; expires?: string | number; iat?: number }): Promise<string> {
  const jwt = new SignJWT(claims.scope === undefined ? {} : { scope: claims.scope })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt(claims.iat);
  if (claims.expires !== undefined) jwt.setExpirationTime(claims.expires);
  return jwt.sign(new TextEncoder().encode(secret));
}
