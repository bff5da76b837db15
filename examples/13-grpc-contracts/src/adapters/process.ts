// What every service process does the same way at start and at stop: connect to the
// database (DATABASE_URL) and bring its own schema up to date, refuse to start if a migration
// broke the schema boundaries, and stop promptly on SIGTERM.

import type http from 'node:http';
import { connectDatabase } from './database.ts';
import type { Database } from '../shared/ports.ts';
import { checkSchemaBoundaries, migrate } from './migrations.ts';

export function requireEnv<N extends string>(script: string, names: N[]): Record<N, string> {
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    console.error(`${script} needs ${names.join(', ')} (src/start.ts sets them); missing: ${missing.join(', ')}`);
    process.exit(1);
  }
  return Object.fromEntries(names.map((name) => [name, process.env[name] ?? ''])) as Record<N, string>;
}

export async function openServiceDatabase(name: string, databaseUrl: string, migrations: URL): Promise<{ db: Database; applied: string[] }> {
  const db = connectDatabase({ url: databaseUrl, name });
  const applied = await migrate(db, migrations);
  const problems = await checkSchemaBoundaries(db);
  if (problems.length > 0) {
    console.error(`${name} could not start: the migrations break the schema boundaries`);
    for (const problem of problems) console.error(`  - ${problem}`);
    process.exit(1);
  }
  return { db, applied };
}

export function listen(name: string, server: http.Server, port: number, line: string): void {
  server.on('error', (error) => {
    console.error(`${name} could not start: ${error.message}`);
    process.exit(1);
  });
  server.listen(port, listenHost(), () => console.log(line));
}

// #region listen-host
// Where a service listens: 127.0.0.1 under `npm start` (nothing outside this machine can
// reach it); in a container HOST=0.0.0.0, or the other containers could not reach it either.
export function listenHost(): string {
  return process.env.HOST || '127.0.0.1';
}
// #endregion listen-host

// SIGTERM or Ctrl+C: `cleanUp` in order, then leave; after 3 s, leave anyway.
export function stopOnSignal(server: http.Server, cleanUp: () => Promise<unknown>): void {
  const stop = () => {
    server.close();
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 3000).unref();
    cleanUp().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
