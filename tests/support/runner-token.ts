// The Local runtime's token for tests that load pages from the project's server: the server
// takes a known one (RUNNER_TOKEN) and the browser gets the cookie a reader's browser gets
// from the address `npm start` prints (server/runner/page-token.ts).
import { randomBytes } from 'node:crypto';
import { cookieName } from '../../server/runner/page-token.ts';

/**
 * One token for the Playwright runner and its workers: the config is loaded in each of them,
 * and the workers inherit the environment the runner set when it loaded it first.
 */
export function sharedRunnerToken(): string {
  process.env.RUNNER_TOKEN ||= randomBytes(32).toString('hex');
  return process.env.RUNNER_TOKEN;
}

/** A browser context's starting state: the runner cookie for 127.0.0.1 and localhost. */
export function runnerCookieState(port: number, token: string) {
  return {
    cookies: ['127.0.0.1', 'localhost'].map((domain) => ({
      name: cookieName(port),
      value: token,
      domain,
      path: '/',
      expires: -1,
      httpOnly: true,
      secure: false,
      sameSite: 'Strict' as const,
    })),
    origins: [],
  };
}
