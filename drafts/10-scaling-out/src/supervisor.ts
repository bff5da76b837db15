// Draft shim: stage 08's supervisor, unchanged (replicas are plain services: src/replicas.ts).
export * from '../../../examples/08-message-broker/src/supervisor.ts';
