// Chapter 10's experiment, as a reader does it in the workbench: the balancer sends the
// requests to both shop replicas in turn; orders make notification jobs that three workers
// share; worker 2 crashed in the middle of a job leaves it running under its name until the
// lease runs out, and then it is done as attempt 2, each order told once.
import { expect, test } from '../fixtures.ts';
import { workbench } from '../workbench/helpers.ts';

const stage = '10-scaling-out';

test('experiment: two replicas answer in turn; a worker killed mid-job loses its job to the lease, not the queue', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(`/chapters/${stage}/?runtime=local`);
  const wb = workbench(page);
  const output = wb.getByRole('region', { name: 'Output' });
  const response = wb.getByRole('region', { name: 'Response' });
  const body = () => response.getByLabel('Response body');
  // Picks a request, sends it, and waits for ITS answer (the one before may look alike).
  const send = async (label: string, expected?: string | RegExp) => {
    const before = (await response.textContent()) ?? '';
    await wb.getByRole('button', { name: label, exact: true }).click();
    await wb.getByRole('button', { name: 'Send' }).click();
    await expect.poll(async () => (await response.textContent()) ?? '', { timeout: 30_000 }).not.toBe(before);
    if (expected) await expect(response).toContainText(expected);
  };
  // Sends a request again and again until its answer shows `expected` (the workers take a moment).
  const sendUntil = async (label: string, expected: RegExp, timeout = 20_000) => {
    await expect
      .poll(
        async () => {
          await wb.getByRole('button', { name: label, exact: true }).click();
          await wb.getByRole('button', { name: 'Send' }).click();
          await page.waitForTimeout(400);
          return (await body().textContent()) ?? '';
        },
        { timeout, intervals: [300] },
      )
      .toMatch(expected);
  };
  const json = async <T,>() => JSON.parse((await body().textContent()) ?? 'null') as T;

  await wb.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(wb.getByRole('status')).toHaveText('Ready', { timeout: 90_000 });
  await expect(output).toContainText(/shop ready on http:\/\/127\.0\.0\.1:\d+ \(12 processes/);

  // 1: two healthy replicas, answering in turn (x-replica, under the response's Headers)
  await sendUntil('Replicas', /"healthy": 2,/, 10_000);
  type Replicas = { replicas: { name: string; requests: number }[] };
  const served = (view: Replicas) => Object.fromEntries(view.replicas.map((r) => [r.name, r.requests]));
  const servedBefore = served(await json<Replicas>());
  const answered: string[] = [];
  for (let i = 0; i < 2; i++) {
    await send('Products', 'mug-blue');
    await response.getByText(/^Headers \(\d+\)$/).click();
    const replica = await response.getByRole('definition').filter({ hasText: /^shop-\d$/ }).textContent();
    answered.push(replica ?? '');
  }
  expect(new Set(answered), `x-replica: ${answered.join(', ')}`).toEqual(new Set(['shop-1', 'shop-2']));
  // Replicas again: each replica's requests went up
  await send('Replicas', '"healthy": 2');
  const servedAfter = served(await json<Replicas>());
  for (const name of ['shop-1', 'shop-2']) expect(servedAfter[name]!, name).toBeGreaterThan(servedBefore[name]!);

  // 2: six orders make six jobs, shared by the workers
  for (let i = 0; i < 6; i++) await send('Place an order', '"status": "pending"');
  // depth counts the jobs in each state: never more than three running (there are three workers)
  type Depth = { depth: Record<'ready' | 'waiting' | 'running' | 'lease-expired' | 'done' | 'dead', number> };
  for (let i = 0; i < 3; i++) {
    await send('Jobs', '"depth"');
    const { depth } = await json<Depth>();
    expect(depth.running, JSON.stringify(depth)).toBeLessThanOrEqual(3);
  }
  await sendUntil('Jobs', /"done": 6,/, 30_000);
  const shared = await json<{ byWorker: { worker: string; done: number }[] }>();
  expect(shared.byWorker.filter((w) => w.done > 0).length, JSON.stringify(shared.byWorker)).toBeGreaterThanOrEqual(2);

  // 3-4: crash worker 2 in the middle of a job; its job waits for the lease, then is done again
  await send('Crash worker 2 mid-job', '"worker": "worker-2"');
  await expect(response).toContainText('202');
  for (let i = 0; i < 4; i++) await send('Place an order', '"status": "pending"');
  await expect(output).toContainText(/worker-2: crashing now, in the middle of ord_\w+:order_confirmed/, { timeout: 30_000 });
  const key = /worker-2: crashing now, in the middle of (ord_\w+:order_confirmed)/.exec((await output.textContent()) ?? '')?.[1];
  // 4: at once, the job worker 2 held is still running in its name: nobody knows it died
  await send('Jobs', '"recent"');
  type Jobs = { recent: { key: string; state: string; attempts: number; lockedBy: string | null; lastError: string | null }[] };
  expect((await json<Jobs>()).recent.find((job) => job.key === key)).toMatchObject({ state: 'running', lockedBy: 'worker-2' });
  await expect(output).toContainText('supervisor: worker-2 exited (signal SIGKILL)', { timeout: 15_000 });
  await sendUntil('Jobs', /"done": 10,/, 30_000);
  const after = await json<{ recent: { key: string; state: string; attempts: number; lastError: string | null }[] }>();
  expect(after.recent.find((job) => job.key === key)).toMatchObject({ state: 'done', attempts: 2, lastError: 'lease of worker-2 expired on attempt 1' });

  // 5: each of ada's orders told once
  await send('Notifications', '"kind": "order_confirmed"');
  const told = await json<{ orderId: string }[]>();
  expect(told).toHaveLength(10);
  expect(new Set(told.map((n) => n.orderId)).size).toBe(10);
  await expect(output).toContainText(`email to ada: Order ${key?.split(':')[0]} is confirmed`);
  // one email line per order
  const emails = ((await output.textContent()) ?? '').match(/email to ada: Order ord_\w+ is confirmed/g) ?? [];
  expect(emails).toHaveLength(10);
  expect(new Set(emails).size).toBe(10);

  await wb.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(wb.getByRole('status')).not.toHaveText('Ready', { timeout: 15_000 });
});
