// The project's own server: the built site with the isolation headers WebContainer needs.
// `npm run preview` and `npm start` both run it.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isolationHeaders } from './headers.ts';
import { serveStatic } from './static.ts';

export interface SiteServerOptions {
  port: number;
  host?: string;
  root?: string;
}

export function startSiteServer({ port, host = '127.0.0.1', root = fileURLToPath(new URL('../dist', import.meta.url)) }: SiteServerOptions) {
  if (!existsSync(root)) throw new Error(`No built site in ${root}: run "npm run build" first.`);
  const statics = serveStatic(root);
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(isolationHeaders)) res.setHeader(name, value);
    statics(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    });
  });
  return new Promise<typeof server>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 4321);
  const server = await startSiteServer({ port }).catch((error: Error & { code?: string }) => {
    console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use: set PORT to another one.` : error.message);
    process.exit(1);
  });
  console.log(`Site ready on http://localhost:${port}/ (stop with Ctrl+C)`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
