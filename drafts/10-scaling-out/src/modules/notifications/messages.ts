// Draft shim: stage 08's message texts, at the path the notification jobs import them from.
export * from '../../../../../examples/08-message-broker/src/modules/notifications/messages.ts';
