// Fault injection for the payments service, switchable at run time (PUT /ops/faults):
// a delay before every answer, a share of requests answered 503 without doing the work,
// a share whose work is done but whose answer is lost, and a switch for idempotency keys.
// The random source is seeded, so a run with the same seed fails the same requests.

import { HttpError } from './http.ts';
import { isObject } from '../shared/validate.ts';
import { seededRandom } from './resilience.ts';

export type Faults = { latencyMs: number; errorRate: number; dropRate: number; idempotencyKeys: boolean; seed: number };

export const noFaults: Faults = { latencyMs: 0, errorRate: 0, dropRate: 0, idempotencyKeys: true, seed: 1 };

// #region validate-faults
// A partial update: only the fields given change. Each bad field is a 400 naming it.
export function validateFaults(body: unknown): Partial<Faults> {
  if (!isObject(body)) throw new HttpError(400, 'invalid_request', 'the body must be an object such as {"latencyMs": 300, "errorRate": 0.3, "dropRate": 0.2, "idempotencyKeys": true}');
  const known = ['latencyMs', 'errorRate', 'dropRate', 'idempotencyKeys', 'seed'];
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) throw new HttpError(400, 'invalid_request', `unknown field ${key}; known: ${known.join(', ')}`);
  }
  const out: Partial<Faults> = {};
  if ('latencyMs' in body) {
    if (!Number.isInteger(body.latencyMs) || (body.latencyMs as number) < 0 || (body.latencyMs as number) > 30_000) {
      throw new HttpError(400, 'invalid_request', 'latencyMs must be an integer from 0 to 30000');
    }
    out.latencyMs = body.latencyMs as number;
  }
  for (const key of ['errorRate', 'dropRate'] as const) {
    if (!(key in body)) continue;
    const value = body[key];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new HttpError(400, 'invalid_request', `${key} must be a number from 0 to 1`);
    out[key] = value;
  }
  if ('idempotencyKeys' in body) {
    if (typeof body.idempotencyKeys !== 'boolean') throw new HttpError(400, 'invalid_request', 'idempotencyKeys must be true or false');
    out.idempotencyKeys = body.idempotencyKeys;
  }
  if ('seed' in body) {
    if (!Number.isInteger(body.seed)) throw new HttpError(400, 'invalid_request', 'seed must be an integer');
    out.seed = body.seed as number;
  }
  return out;
}
// #endregion validate-faults

export class FaultInjector {
  faults: Faults = { ...noFaults };
  private random = seededRandom(noFaults.seed);

  set(update: Partial<Faults>): Faults {
    this.faults = { ...this.faults, ...update };
    if (update.seed !== undefined) this.random = seededRandom(update.seed);
    return this.faults;
  }

  // Decided before the work: how long to wait, and whether to fail or to lose the answer.
  decide(): { delayMs: number; fail: boolean; drop: boolean } {
    const fail = this.random() < this.faults.errorRate;
    const drop = this.random() < this.faults.dropRate;
    return { delayMs: this.faults.latencyMs, fail, drop: !fail && drop };
  }
}
