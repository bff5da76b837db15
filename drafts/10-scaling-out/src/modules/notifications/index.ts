// Draft shim: the notifications module's public types (stage 07's; stage 09's are the same).
export type * from '../../../../../examples/07-surviving-the-network/src/modules/notifications/index.ts';
