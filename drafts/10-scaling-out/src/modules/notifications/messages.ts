// Draft shim: stage 07's message texts, at the path the notification jobs import them from.
export * from '../../../../../examples/07-surviving-the-network/src/modules/notifications/messages.ts';
