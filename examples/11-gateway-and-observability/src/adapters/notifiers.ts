// Two adapters for the notifications module's Notifier port. src/app.ts picks one; the
// module cannot tell which.
import type { Notifier } from '../modules/notifications/index.ts';

// #region notifiers
// Stands in for sending an email: the text the customer would read is printed on the console.
export class ConsoleNotifier implements Notifier {
  async send(customerId: string, text: string): Promise<void> {
    console.log(`email to ${customerId}: ${text}`);
  }
}

// Keeps the messages in a list instead of sending them: for tests, and for running the shop
// quietly.
export class InMemoryNotifier implements Notifier {
  sent: { customerId: string; text: string }[] = [];

  async send(customerId: string, text: string): Promise<void> {
    this.sent.push({ customerId, text });
  }
}
// #endregion notifiers
