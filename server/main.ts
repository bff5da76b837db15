// The project's own server: the built site with the isolation headers WebContainer needs, and
// (on loopback only) the runner behind the Local runtime. `npm run preview` and `npm start`
// both run it.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { frameHeaders, isolationHeaders } from './headers.ts';
import { createRunner, runnerPrefix, type RunnerOptions } from './runner/api.ts';
import { sendError } from './runner/http.ts';
import { checkHost, isLoopbackHost, newToken } from './runner/security.ts';
import { serveStatic } from './static.ts';

export interface SiteServerOptions {
  port: number;
  host?: string;
  root?: string;
  /** The Local runtime's runner; `false` serves the site alone. Never offered off loopback. */
  runner?: RunnerOptions | false;
}

export function startSiteServer({
  port,
  host = '127.0.0.1',
  root = fileURLToPath(new URL('../dist', import.meta.url)),
  runner: runnerOptions = {},
}: SiteServerOptions) {
  if (!existsSync(root)) throw new Error(`No built site in ${root}: run "npm run build" first.`);
  // Running code for whoever can reach the port is only acceptable when that is this machine.
  const runner = runnerOptions !== false && isLoopbackHost(host) ? createRunner(runnerOptions) : undefined;
  const statics = serveStatic(root);
  // Pages with the token, for browsers that came through the address with it (page-token.ts).
  const tokenStatics = runner ? serveStatic(root, { headHtml: runner.metaTag }) : statics;
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries({ ...isolationHeaders, ...frameHeaders })) res.setHeader(name, value);
    let serve = statics;
    if (runner) {
      const listening = (server.address() as AddressInfo | null)?.port ?? port;
      // Pages carry the runner's token, so a rebound DNS name must not read them either.
      try {
        checkHost(req.headers.host, listening);
      } catch (error) {
        sendError(res, error);
        return;
      }
      if ((req.url ?? '').startsWith(runnerPrefix)) {
        runner.handle(req, res, listening);
        return;
      }
      const access = runner.pageAccess(req, listening);
      if (access.kind === 'enter') {
        // The token leaves the address bar (and the history) at once.
        res.writeHead(303, { location: access.location, 'set-cookie': access.cookie, 'cache-control': 'no-store' }).end();
        return;
      }
      if (access.kind === 'refused') {
        res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(runner.refusedTokenPage);
        return;
      }
      if (access.kind === 'granted') serve = tokenStatics;
    }
    serve(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    });
  });

  if (runner) {
    // Closing the server stops every run first: their event streams would otherwise keep
    // server.close() waiting, and their processes must never outlive the server.
    const close = server.close.bind(server);
    server.close = ((callback?: (error?: Error) => void) => {
      const runsStopped = runner.closeAll().finally(() => {
        // The event streams have ended; let their last lines go out before cutting what is left.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 500).unref();
      });
      close((error) => void runsStopped.then(() => callback?.(error)));
      return server;
    }) as typeof server.close;
  }

  return new Promise<typeof server>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** The address that opens the site with the Local runtime: it hands the browser the token. */
export function entryUrl(port: number, token: string): string {
  return `http://127.0.0.1:${port}/?token=${token}`;
}

/** Stops the server (and every run) on Ctrl+C or SIGTERM; a second signal exits at once. */
export function stopOnSignals(server: { close(callback?: (error?: Error) => void): unknown }): void {
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    server.close(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 4321);
  const token = process.env.RUNNER_TOKEN || newToken();
  const server = await startSiteServer({ port, runner: { token } }).catch((error: Error & { code?: string }) => {
    console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use: set PORT to another one.` : error.message);
    process.exit(1);
  });
  console.log(`Site ready on ${entryUrl(port, token)} (stop with Ctrl+C)`);
  stopOnSignals(server);
}
