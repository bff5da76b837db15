// Draft shim: stage 07's migrations, at the path stage 10's files import them from.
export * from '../../../../examples/07-surviving-the-network/src/adapters/migrations.ts';
