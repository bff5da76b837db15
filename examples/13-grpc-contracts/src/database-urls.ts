// Which PostgreSQL role each service connects as when the stage runs against a real server.
// compose.yaml and k8s/ give every service that owns data a role of its own (deploy/postgres/
// roles.sql and grants.sql), so a service can use its own schema and nothing else; `npm start`
// does the same when it is told a URL per role:
//   ORDERS_DATABASE_URL         the shop's replicas and the orchestrator (the orders schema)
//   PAYMENTS_DATABASE_URL       payments
//   INVENTORY_DATABASE_URL      inventory
//   NOTIFICATIONS_DATABASE_URL  notifications and the workers (notifications' jobs)
// One that is not set falls back to DATABASE_URL, the one URL every service shares otherwise
// (on PGlite, with no DATABASE_URL, there are no roles to keep apart). A role URL without a
// DATABASE_URL is refused: the stage would start its own PGlite and send that service elsewhere.

export const DATA_OWNERS = ['orders', 'payments', 'inventory', 'notifications'] as const;
export type DataOwner = (typeof DATA_OWNERS)[number];

const variableOf = (owner: DataOwner) => `${owner.toUpperCase()}_DATABASE_URL`;

/** Each owner's database URL, or an error that names the variable at fault. */
export function databaseUrls(env: Record<string, string | undefined>, shared: string): Record<DataOwner, string> | { error: string } {
  const set = DATA_OWNERS.filter((owner) => env[variableOf(owner)]);
  if (set.length > 0 && !env.DATABASE_URL) {
    return { error: `${set.map(variableOf).join(', ')} ${set.length === 1 ? 'is' : 'are'} set without DATABASE_URL: set DATABASE_URL to the same PostgreSQL (the fallback for the others, and what tells the stage not to start its own database)` };
  }
  for (const owner of set) {
    const url = env[variableOf(owner)]!;
    if (!/^postgres(ql)?:\/\//.test(url)) return { error: `${variableOf(owner)} must be a postgres:// URL, got ${JSON.stringify(url.slice(0, 40))}` };
  }
  return Object.fromEntries(DATA_OWNERS.map((owner) => [owner, env[variableOf(owner)] || shared])) as Record<DataOwner, string>;
}

/** For the ready line: the roles the services connect as, when they are not all one. */
export function rolesNote(urls: Record<DataOwner, string>): string {
  const roles = [...new Set(Object.values(urls).map((url) => decodeURIComponent(new URL(url).username)))];
  return roles.length > 1 ? ` (as ${roles.join(', ')})` : '';
}
