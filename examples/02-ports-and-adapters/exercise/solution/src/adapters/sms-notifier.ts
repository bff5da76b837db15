import type { Notifier } from '../domain/ports.ts';

// #region sms-notifier
// Stands in for sending a text message. A text message holds at most 160 characters, so a
// longer text is cut short and ends with "…".
const SMS_MAX_CHARS = 160;

export class SmsNotifier implements Notifier {
  async send(customerId: string, text: string): Promise<void> {
    const sms = text.length <= SMS_MAX_CHARS ? text : `${text.slice(0, SMS_MAX_CHARS - 1)}…`;
    console.log(`sms to ${customerId}: ${sms}`);
  }
}
// #endregion sms-notifier
