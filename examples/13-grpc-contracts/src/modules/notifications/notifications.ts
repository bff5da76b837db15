// Private to the notifications module: its notifications table, read and written with SQL.
// Only this module touches the notifications schema.

import type { Database } from '../../shared/ports.ts';
import type { JobQueue } from '../../shared/job-queue.ts';
import type { OrderNews } from './index.ts';
import { enqueueNotification } from './jobs.ts';

export type NotificationKind = 'order_confirmed' | 'order_rejected' | 'order_cancelled';
export type Notification = {
  id: string;
  customerId: string;
  orderId: string;
  kind: NotificationKind;
  createdAt: string;
};

type NotificationRow = { id: string; customer_id: string; order_id: string; kind: Notification['kind']; created_at: Date };

export class PostgresNotifications {
  private db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  // #region inbox
  // Stores the notification unless the event that caused it was handled before: the event's
  // id and the notification go in together, in one transaction. False when the id was
  // already in the inbox (a second delivery), and then nothing is stored. Since stage 10 the
  // job that sends it commits with them: a notification is there if and only if its job is.
  async addOnce(eventId: string, notification: Notification, queue: JobQueue, news: OrderNews): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const seen = await tx.query(
        'INSERT INTO notifications.processed_events (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING',
        [eventId],
      );
      if (seen.affectedRows === 0) return false;
      await tx.query(
        'INSERT INTO notifications.notifications (id, customer_id, order_id, kind, created_at) VALUES ($1, $2, $3, $4, $5)',
        [notification.id, notification.customerId, notification.orderId, notification.kind, notification.createdAt],
      );
      await enqueueNotification(queue, tx, news);
      return true;
    });
  }
  // #endregion inbox

  async listByCustomer(customerId: string): Promise<Notification[]> {
    const { rows } = await this.db.query<NotificationRow>(
      'SELECT * FROM notifications.notifications WHERE customer_id = $1 ORDER BY position',
      [customerId],
    );
    return rows.map((row) => ({
      id: row.id,
      customerId: row.customer_id,
      orderId: row.order_id,
      kind: row.kind,
      createdAt: row.created_at.toISOString(),
    }));
  }
}
