// The runner's HTTP API under /__runner/, guarded by the host, origin and token checks.
//   POST   /__runner/runs                 {slot, stage, files, client?} -> {id}
//   GET    /__runner/runs/:id/events      newline-delimited JSON RunEvents until the run stops
//   POST   /__runner/runs/:id/request     {method, path, headers?, body?} -> {status, headers, body, ms}
//   POST   /__runner/runs/:id/files       {path, contents} -> {ok: true}
//   GET    /__runner/runs/:id/stats       -> {stats: {processes, rssBytes} | null} (null off Linux)
//   DELETE /__runner/runs/:id             -> {code} once every process and the workspace are gone
//   POST   /__runner/checks               {stage, files} -> {passed, code, output} (see check.ts)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createChecks } from './check.ts';
import { RunnerError } from './errors.ts';
import { isRecord, readJson, sendError, sendJson } from './http.ts';
import { checkGivenToken, pageAccess, refusedTokenPage, type PageAccess } from './page-token.ts';
import { checkProxyRequest, proxy } from './proxy.ts';
import type { RunEvent } from './run.ts';
import { readRunStats } from './run-stats.ts';
import { siteUrl } from '../static.ts';
import { checkStartInput, createRuns, type RunnerOptions } from './runs.ts';
import { checkFilePath, checkHost, checkOrigin, checkToken, limits, newToken, tokenHeader } from './security.ts';

export type { RunnerOptions } from './runs.ts';
export const runnerPrefix = '/__runner/';

export type Runner = ReturnType<typeof createRunner>;

export function createRunner(options: RunnerOptions = {}) {
  const token = options.token === undefined ? newToken() : checkGivenToken(options.token);
  const runs = createRuns(options);
  const checks = createChecks(options);

  async function route(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const method = req.method ?? 'GET';
    const parts = pathname.slice(runnerPrefix.length).split('/');
    if (parts.join('/') === 'checks') return checks.handle(req, res);
    if (parts[0] !== 'runs') throw notFound();
    if (parts.length === 1) {
      if (method !== 'POST') throw notAllowed('POST');
      const input = checkStartInput(await readJson(req, limits.bodyBytes));
      const run = await runs.start(input);
      sendJson(res, 201, { id: run.id });
      return;
    }
    const run = runs.get(decodeRunId(parts[1] ?? ''));
    const action = parts.slice(2).join('/');
    if (action === '') {
      if (method !== 'DELETE') throw notAllowed('DELETE');
      await run.stop('stopped');
      sendJson(res, 200, { code: run.exitCode });
      return;
    }
    if (action === 'events') {
      if (method !== 'GET') throw notAllowed('GET');
      streamEvents(res, run.subscribe.bind(run));
      run.touch();
      return;
    }
    if (action === 'request') {
      if (method !== 'POST') throw notAllowed('POST');
      const request = checkProxyRequest(await readJson(req, limits.bodyBytes));
      run.touch();
      if (run.state === 'stopping' || run.state === 'stopped') throw runStopped();
      if (run.state !== 'ready' || run.port === undefined) throw new RunnerError(409, 'not_ready', 'The stage is still starting; send the request once the status reads Ready.');
      const response = await proxy(run.port, request);
      run.touch();
      sendJson(res, 200, response);
      return;
    }
    if (action === 'stats') {
      if (method !== 'GET') throw notAllowed('GET');
      if (run.state === 'stopping' || run.state === 'stopped') throw runStopped();
      run.touch();
      sendJson(res, 200, { stats: readRunStats(run.pid) });
      return;
    }
    if (action === 'files') {
      if (method !== 'POST') throw notAllowed('POST');
      const body = await readJson(req, limits.bodyBytes);
      if (!isRecord(body) || typeof body.contents !== 'string') throw new RunnerError(400, 'bad_request', 'Write a file with a JSON object {path, contents}.');
      run.touch();
      await run.writeFile(checkFilePath(body.path), body.contents);
      sendJson(res, 200, { ok: true });
      return;
    }
    throw notFound();
  }

  return {
    token,
    /** Goes into the <head> of every page this server sends: the page's proof it may call. */
    metaTag: `<meta name="local-runner" content="${token}">`,
    runs,

    /** Answers a request under /__runner/; `port` is the port this server really listens on. */
    handle(req: IncomingMessage, res: ServerResponse, port: number): void {
      (async () => {
        checkHost(req.headers.host, port);
        checkOrigin(req.headers.origin, port);
        checkToken(req.headers[tokenHeader], token);
        // read as the pages are (siteUrl): dot segments resolved, never another host
        const url = siteUrl(req.url);
        if (!url?.pathname.startsWith(runnerPrefix)) throw notFound();
        await route(req, res, url.pathname);
      })().catch((error: unknown) => {
        // A refused upload may still be arriving: close the connection instead of reading it.
        if (!req.complete) res.setHeader('connection', 'close');
        sendError(res, error);
      });
    },

    /** Whether a page request gets the token (see page-token.ts). */
    pageAccess: (req: IncomingMessage, port: number): PageAccess => pageAccess(req, token, port),
    refusedTokenPage,

    closeAll: () => runs.closeAll(),
  };
}

function streamEvents(res: ServerResponse, subscribe: (listener: (event: RunEvent) => void) => () => void): void {
  res.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.flushHeaders();
  let ended = false;
  let unsubscribe = () => {};
  unsubscribe = subscribe((event) => {
    if (ended) return;
    res.write(JSON.stringify(event) + '\n');
    if (event.type === 'status' && event.step === 'stopped') {
      ended = true;
      res.end();
    }
  });
  if (ended) unsubscribe();
  // A closed tab or a navigation: the run is stopped after a grace period (see Run.subscribe).
  res.on('close', () => {
    ended = true;
    unsubscribe();
  });
}

function decodeRunId(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new RunnerError(400, 'bad_run_id', 'The run id in the address is not valid percent-encoding; use the id the runner gave when the run started.');
  }
}

const runStopped = () => new RunnerError(410, 'run_stopped', 'The stage has stopped; press Run to start it again.');
const notFound = () => new RunnerError(404, 'not_found', 'There is no such runner endpoint.');
const notAllowed = (allowed: string) => new RunnerError(405, 'method_not_allowed', `This runner endpoint only accepts ${allowed}.`);
