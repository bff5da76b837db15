// The runner's page and API routes against hostile request targets and bodies, as properties:
// no answer is a 5xx, every redirect stays on this origin (a Location that is a path, never
// `//host` or `/\host`), deep JSON and lone surrogates are 400s, and no run event names a
// folder of this machine (npm's debug-log path included).
import { homedir } from 'node:os';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHeader } from './security.ts';
import { api, call, fakeStage, isStep, makeFakeProject, readEvents, startRun, startTestServer, type FakeProject, type TestServer } from './testing.ts';

let project: FakeProject;
let server: TestServer;
beforeAll(async () => {
  project = makeFakeProject();
  server = await startTestServer(project);
});
afterAll(async () => {
  await server.close();
  project.remove();
});

const SEED = 28_2026;
const runs = Number(process.env.RUNNER_HOSTILE_RUNS) || 150;

/** Where a Location sends a browser, read as a browser reads it against this server's page. */
function sameOrigin(location: string): boolean {
  if (!location.startsWith('/') || location.startsWith('//') || location.startsWith('/\\')) return false;
  return new URL(location, server.base).origin === server.base;
}

// Targets a page or API address could be spelled as: dot segments (plain and escaped), slashes
// and backslashes run together, escapes of / and \, a host after them, the token.
const piece = fc.constantFrom(
  'x', 'chapters', 'one', '..', '.', '%2e%2e', '.%2E', '', '%2f', '%5c', '\\', 'evil.example', '..%2fstages', '%2F%2Fevil.example', '__runner', 'runs', 'checks', 'events', '%ff', '%', '%00',
);
const target = fc.record({
  pieces: fc.array(piece, { minLength: 1, maxLength: 7 }),
  token: fc.constantFrom(undefined, 'right', 'wrong'),
  trailing: fc.boolean(),
});
// The shape of the open redirect issue 28 found: a segment, a dot segment that removes it,
// then something a browser reads as a host (an empty segment, an escaped or a back slash).
const redirect = fc.record({
  pieces: fc.tuple(
    fc.constantFrom('x', '%2e%2e', 'chapters'),
    fc.constantFrom('..', '.%2e', '%2e%2e', '.'),
    fc.constantFrom('', '%2f', '\\', '%5c'),
    fc.constantFrom('evil.example', 'chapters', '..%2fstages'),
    fc.constantFrom('one', '..%2fstages', 'chapters', '..'),
  ).map((pieces) => [...pieces]),
  token: fc.constantFrom(undefined, 'right', 'wrong'),
  trailing: fc.boolean(),
});
const spell = (t: { pieces: string[]; token?: string | undefined; trailing: boolean }) =>
  `/${t.pieces.join('/')}${t.trailing ? '/' : ''}${t.token === undefined ? '' : `?token=${t.token === 'right' ? 'TOKEN' : 'f'.repeat(64)}`}`;

describe('hostile page and API addresses', () => {
  it('answer no 5xx, and every redirect is a path on this origin', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(target, redirect), async (t) => {
        // the right token is the one in the cookie the entry address set
        const path = spell(t).replace('TOKEN', /=([^;]+)/.exec(server.cookie)?.[1] ?? '');
        const callers: Record<string, string>[] = [{}, { cookie: server.cookie }, { [tokenHeader]: server.token }];
        for (const headers of callers) {
          const res = await call(server.port, { path, headers });
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          expect(res.status, `GET ${path} -> ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
          const location = res.headers.location;
          if (location !== undefined) expect(sameOrigin(location), `GET ${path} -> ${res.status} Location: ${location}`).toBe(true);
        }
      }),
      { seed: SEED, numRuns: runs },
    );
    expect(seen.size).toBeGreaterThan(2); // the addresses reached more than one kind of answer
  });

  it('the dot-segment open redirects named in issue 28 stay on this origin', async () => {
    const token = /=([^;]+)/.exec(server.cookie)?.[1] ?? '';
    for (const path of ['/x/..//evil.example/..%2fstages', `/x/..//evil.example/..%2fstages?token=${token}`, '/x/../\\evil.example/chapters/one', '/%2e%2e//evil.example/chapters']) {
      const res = await call(server.port, { path });
      expect(res.status, `GET ${path}`).toBeLessThan(500);
      if (res.headers.location !== undefined) expect(sameOrigin(res.headers.location), `GET ${path} -> Location: ${res.headers.location}`).toBe(true);
    }
  });
});

describe('hostile API bodies', () => {
  const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
  // arrays in arrays: String() of one recurses as deep as it nests (an error message quoting it)
  const deepField = (field: string) => `{"${field}":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;

  it('JSON nested deeper than 64 levels, in any field, is a 400', async () => {
    for (const [path, body] of [
      ['/runs', deep],
      ['/runs', deepField('files')],
      ['/runs', deepField('client')],
      ['/runs', deepField('slot')],
      ['/runs', deepField('stage')],
      ['/checks', deepField('files')],
    ] as const) {
      const res = await api(server, 'POST', path, body);
      expect(res.status, `POST ${path} -> ${res.status} ${res.text.slice(0, 200)}`).toBe(400);
    }
  });

  it('on a running stage, a lone surrogate in any field and deep JSON are 400s, the proxy path included', async () => {
    const id = await startRun(server, { slot: 'surrogate', stage: fakeStage, files: project.files() });
    await (await readEvents(server, id)).waitFor(isStep('ready'));
    for (const [path, body] of [
      [`/runs/${id}/request`, { method: 'GET', path: '/x\ud800' }],
      [`/runs/${id}/request`, { method: 'GET', path: '/x', headers: { 'x-a': '\udfff' } }],
      [`/runs/${id}/files`, { path: 'config\ud800.json', contents: '{}' }],
      ['/runs', { slot: 'other\ud800', stage: fakeStage, files: project.files() }],
      [`/runs/${id}/request`, deepField('headers')],
      [`/runs/${id}/request`, deepField('method')],
      [`/runs/${id}/request`, deepField('path')],
      [`/runs/${id}/files`, deepField('path')],
      [`/runs/${id}/files`, deepField('contents')],
    ] as const) {
      const res = await api(server, 'POST', path, body);
      expect(res.status, `POST ${path} ${JSON.stringify(body).slice(0, 120)} -> ${res.status} ${res.text.slice(0, 200)}`).toBe(400);
    }
    await api(server, 'DELETE', `/runs/${id}`);
  });
});

describe('run events', () => {
  it('name no folder of this machine, npm debug-log path included', async () => {
    // a package.json npm cannot read: npm fails and (by default) points at its debug log
    const id = await startRun(server, { slot: 'npm-fails', stage: fakeStage, files: { ...project.files(), 'package.json': '{"name":' } });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('stopped'));
    const text = JSON.stringify(events.events);
    expect(text).toMatch(/npm/); // npm did speak
    expect(text).not.toContain(homedir());
    expect(text).not.toMatch(/_logs[\\/][^"]*debug[^"]*\.log/);
  });
});
