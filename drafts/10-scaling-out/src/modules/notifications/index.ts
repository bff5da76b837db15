// Draft shim of the notifications module's public interface: stage 08's types (stage 09's
// are the same) plus what stage 10 adds, the job queue's pieces. When porting, add the
// export below to the stage's own src/modules/notifications/index.ts.
export type * from '../../../../../examples/08-message-broker/src/modules/notifications/index.ts';

// #region jobs-exports
export { enqueueNotification, notificationQueue, notificationText, SEND_NOTIFICATION, sendNotification } from './jobs.ts';
// #endregion jobs-exports
