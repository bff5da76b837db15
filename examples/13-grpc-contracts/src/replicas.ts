// Replicas in src/start.ts (stage 10). The supervisor needs no change: to it, shop-1, shop-2
// and shop-3 are three services like any other, each started, health-checked and restarted
// on its own. This file only derives their names and ports from one description.
//
// Ports: the replicas of one service are 100 apart from a first port derived from PORT
// (e.g. the shop's at PORT+1000, PORT+1100, PORT+1200), so two stages started side by side
// on neighbouring PORTs never collide, as with the other internal ports.

import type { Service } from './supervisor.ts';

// #region replicas
export type ReplicaSet = { name: string; count: number; firstPort: number };

export function replicaPorts(set: ReplicaSet): number[] {
  if (!Number.isInteger(set.count) || set.count < 1 || set.count > 10) throw new Error(`${set.name}: replicas must be 1 to 10, got ${set.count}`);
  return Array.from({ length: set.count }, (_, i) => set.firstPort + 100 * i);
}

// One Service per replica, named shop-1, shop-2 ... `make` gives each its script, env and
// health check for its port (and its number, for a worker id).
export function replicated(set: ReplicaSet, make: (port: number, name: string) => Omit<Service, 'name'>): Service[] {
  return replicaPorts(set).map((port, i) => {
    const name = `${set.name}-${i + 1}`;
    return { name, ...make(port, name) };
  });
}

// What the load balancer is told: REPLICAS=shop-1=http://127.0.0.1:4000,shop-2=...
export function replicasEnv(services: Service[]): string {
  return services
    .map((s) => {
      if (!s.env.PORT) throw new Error(`${s.name} has no PORT to balance over`);
      return `${s.name}=http://127.0.0.1:${s.env.PORT}`;
    })
    .join(',');
}

// ... and read back: [{ name: 'shop-1', url: 'http://127.0.0.1:4000' }, ...] (the balancer's
// REPLICAS, the shop's WORKER_URLS). Undefined when the list is empty or malformed.
export function parseNamedUrls(value: string | undefined): { name: string; url: string }[] | undefined {
  const entries = (value ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => {
      const [name = '', url = ''] = entry.split(/=(.*)/s);
      return { name, url };
    });
  return entries.length > 0 && entries.every((e) => e.name && /^https?:\/\//.test(e.url)) ? entries : undefined;
}

// How many: SHOP_REPLICAS=5 npm start (the chapter's experiment); `fallback` otherwise.
export function replicaCount(value: string | undefined, fallback: number): number {
  const count = value === undefined || value === '' ? fallback : Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 10) throw new Error(`a replica count is a whole number from 1 to 10, got ${value}`);
  return count;
}
// #endregion replicas

// The count when SHOP_REPLICAS or WORKERS says nothing: the stage's own, or one copy with
// SHOP_PROFILE=small, which the site's in-browser runtime sets on a small device (every copy
// is one more Node process, and there one browser tab holds them all).
export function profileCount(profile: string | undefined, count: number): number {
  if (profile === undefined || profile === '' || profile === 'default') return count;
  if (profile === 'small') return 1;
  throw new Error(`SHOP_PROFILE is "small" (one shop, one worker) or unset, got ${profile}`);
}
