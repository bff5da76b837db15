// Draft shim: stage 08's database adapter, at the path stage 10's files import it from.
export * from '../../../../examples/08-message-broker/src/adapters/database.ts';
