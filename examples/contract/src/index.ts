// The public pieces of the contract package: the stage launcher, the JSON client and the
// black-box suite every stage runs from its own test/contract.test.ts.
export { freePort, request, startStage } from './launch.ts';
export type { JsonResponse, Stage, StartOptions, StopResult } from './launch.ts';
export { contractSuite, unique } from './suite.ts';
export type { ApiError, Notification, Order, OrderLine, OrderPage, Payment, Product, SuiteOptions } from './suite.ts';
