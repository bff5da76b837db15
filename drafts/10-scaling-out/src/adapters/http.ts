// Draft shim: stage 08's HTTP helpers, at the path stage 10's files import them from.
export { HttpError, jsonServer, readJson, sendJson } from '../../../../examples/08-message-broker/src/adapters/http.ts';
export type { Reply } from '../../../../examples/08-message-broker/src/adapters/http.ts';
