// Draft shim: stage 07's database adapter, at the path stage 10's files import it from.
export * from '../../../../examples/07-surviving-the-network/src/adapters/database.ts';
