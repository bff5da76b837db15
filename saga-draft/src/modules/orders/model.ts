// Draft shim: stage 07's orders model, at the path the saga will import it from.
export * from '../../../../examples/07-surviving-the-network/src/modules/orders/model.ts';
