// Draft shim: stage 07's smallest ports, at the path the saga will import them from.
export type * from '../../../examples/07-surviving-the-network/src/shared/ports.ts';
