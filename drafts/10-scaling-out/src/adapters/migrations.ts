// Draft shim: stage 08's migrations, at the path stage 10's files import them from.
export * from '../../../../examples/08-message-broker/src/adapters/migrations.ts';
