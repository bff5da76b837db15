// Draft shim: stage 07's migrations, at the path the tests will import them from.
export * from '../../../examples/07-surviving-the-network/src/adapters/migrations.ts';
