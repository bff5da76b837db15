// Health and readiness (stage 11), two questions with different answers:
//
// - GET /health, liveness: is this process alive and able to answer at all? A supervisor
//   (or Kubernetes' livenessProbe) restarts a process that stops answering it. It checks
//   nothing else: a shop whose database is down is not fixed by restarting the shop.
// - GET /ready, readiness: can it do its work right now? Every dependency it needs is
//   checked (the database answers `SELECT 1`, the broker connection is up ...). A process
//   that is not ready is taken out of the rotation (the load balancer, Kubernetes'
//   readinessProbe) but left running, so it can become ready again by itself.

export type Check = () => Promise<unknown> | unknown;
export type CheckResult = { ok: boolean; ms: number; error?: string };
// degraded (stage 12): what the process does without for now, still ready (a cache away)
export type Readiness = { status: 'ready' | 'not_ready'; checks: Record<string, CheckResult>; degraded?: Record<string, string> };

const TIMEOUT_MS = 1_000;

// #region readiness
// Runs every check at once, each with a time limit: a dependency that hangs makes the process
// not ready within a second, it does not make the probe hang too.
export async function readiness(checks: Record<string, Check>, timeoutMs = TIMEOUT_MS): Promise<Readiness> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      const began = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(check),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, { ok: true, ms: Math.round(performance.now() - began) }];
      } catch (error) {
        return [name, { ok: false, ms: Math.round(performance.now() - began), error: (error as Error).message }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const all = Object.fromEntries(results);
  return { status: results.every(([, r]) => r.ok) ? 'ready' : 'not_ready', checks: all };
}

// The reply for GET /ready: 200 when ready, 503 (with what failed) when not.
export async function readinessReply(checks: Record<string, Check>): Promise<{ status: number; body: Readiness }> {
  const body = await readiness(checks);
  return { status: body.status === 'ready' ? 200 : 503, body };
}
// #endregion readiness

// A check that another HTTP service answers GET `path` with 200.
export function httpCheck(url: string, timeoutMs = TIMEOUT_MS): Check {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  };
}
