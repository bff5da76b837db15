// Private to the notifications module (stage 10): telling a customer is a job now. The
// module records the notification and enqueues "send it" in one transaction; a worker
// process sends it later. The queue is the module's table notifications.jobs.

import type { Database, Queryable } from '../../shared/ports.ts';
import { JobQueue } from '../../shared/job-queue.ts';
import type { Job } from '../../shared/job-queue.ts';
import type { JobHandler } from '../../shared/job-worker.ts';
import type { OrderNews } from './index.ts';
import { messageFor } from './messages.ts';

export const SEND_NOTIFICATION = 'send-notification';

export function notificationQueue(db: Database, options: { leaseMs?: number; retryDelayMs?: (attempts: number) => number } = {}): JobQueue {
  return new JobQueue(db, { table: 'notifications.jobs', ...options });
}

// #region enqueue-notification
// Called inside the transaction that records the notification (PostgresNotifications.addOnce,
// notifications.ts): the job is there if and only if the notification is. One job per order and
// kind of news, whatever happens to the event that brought it.
export function enqueueNotification(queue: JobQueue, tx: Queryable, news: OrderNews): Promise<boolean> {
  return queue.enqueue(tx, { kind: SEND_NOTIFICATION, key: `${news.orderId}:${news.kind}`, payload: news });
}
// #endregion enqueue-notification

// #region send-notification
// The job itself. Sending takes a while (`sendMs` stands in for an email provider's API, so
// the reader has time to kill a worker mid-job). The message it sends is the effect: a row
// in notifications.sent_messages, committed with the job's done mark. Its primary key is
// (order, kind), so even a bug in the claims could not send the same news twice.
//
// A real email API sits outside Postgres and cannot join the transaction. Then the job's
// key goes to the provider as its idempotency key (as the shop does with payments in
// stage 7): a retried job asks again, and the provider answers "already sent".
export function sendNotification(options: { sendMs: number }): JobHandler {
  return async (job: Job, signal: AbortSignal) => {
    const news = job.payload as OrderNews;
    const text = messageFor(news);
    await abortableSleep(options.sendMs, signal);
    return async (tx) => {
      await tx.query(
        `INSERT INTO notifications.sent_messages (order_id, kind, customer_id, text, job_id, attempt, sent_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (order_id, kind) DO NOTHING`,
        [news.orderId, news.kind, news.customerId, text, job.id, job.attempts, job.lockedBy],
      );
    };
  };
}
// #endregion send-notification

// What the customer reads, for the worker's log line once the send is committed.
export function notificationText(job: Job): { customerId: string; text: string } {
  const news = job.payload as OrderNews;
  return { customerId: news.customerId, text: messageFor(news) };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('stopped'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('stopped'));
    }, { once: true });
  });
}
