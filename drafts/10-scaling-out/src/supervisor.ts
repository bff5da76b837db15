// Draft shim: stage 07's supervisor, unchanged (replicas are plain services: src/replicas.ts).
export * from '../../../examples/07-surviving-the-network/src/supervisor.ts';
