// Draft shim: stage 07's HTTP helpers, at the path stage 10's files import them from.
export { HttpError, jsonServer, readJson, sendJson } from '../../../../examples/07-surviving-the-network/src/adapters/http.ts';
export type { Reply } from '../../../../examples/07-surviving-the-network/src/adapters/http.ts';
