// Draft shim: stage 07's resilience helpers, at the path the saga will import them from.
export * from '../../../examples/07-surviving-the-network/src/adapters/resilience.ts';
