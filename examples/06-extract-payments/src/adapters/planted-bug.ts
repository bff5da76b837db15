// Chapter 6's planted bug: a change only the extracted payments service runs, off until the
// reader switches it on, so that the parallel run has a real difference to catch. Nothing else
// in the stage depends on it, and stage 07 does not have it: the experiment switches it off again.
//
// The "new" service rounds every charge up to whole euros. Prices that already are whole euros
// (the blue mug, 1200 cents) come out the same; green tea (850) becomes 900. So the diff log
// shows it only for the orders that exercise it, as with a real bug.
import { invalid } from '../shared/errors.ts';
import { isObject } from '../shared/validate.ts';

export type Planted = { rounding: boolean };

// #region planted-rounding
export function chargedAmount(amountCents: number, planted: Planted): number {
  return planted.rounding ? Math.ceil(amountCents / 100) * 100 : amountCents;
}
// #endregion planted-rounding

// PUT /ops/planted-bug takes {"rounding": true} or {"rounding": false}, and nothing else.
export function validatePlanted(body: unknown): Planted {
  if (!isObject(body) || typeof body.rounding !== 'boolean') throw invalid('body must be {"rounding": true} or {"rounding": false}');
  const other = Object.keys(body).find((name) => name !== 'rounding');
  if (other) throw invalid(`${other} is not a planted bug: the only one is rounding`);
  return { rounding: body.rounding };
}

// The shop's side: the switch lives in the payments process, so the shop passes it on.
export async function plantInService(baseUrl: string, planted: Planted): Promise<Planted> {
  const res = await fetch(`${baseUrl}/ops/planted-bug`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(planted),
    signal: AbortSignal.timeout(2000),
  });
  if (!res.ok) throw new Error(`the payments service answered ${res.status} to the planted bug`);
  return validatePlanted(await res.json());
}
