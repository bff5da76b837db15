// Judges an answer of a stage against openapi.json: is the status one the operation documents,
// and does the body match the schema documented for it? OpenAPI 3.1 schemas are JSON Schema
// 2020-12, so a standard validator reads them as they are; nothing here restates the contract.

import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as formatsModule from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';

type Json = Record<string, unknown>;
type Operation = { operationId: string; responses: Record<string, Json> };
type Doc = { paths: Record<string, Record<string, Operation>> };

const doc = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8')) as Doc & Json;

// ajv-formats is CommonJS: depending on the loader its function is the default export or the
// default export's `default`.
const formatsExport = (formatsModule as unknown as { default: FormatsPlugin & { default?: FormatsPlugin } }).default;
const addFormats: FormatsPlugin = formatsExport.default ?? formatsExport;

// The whole document is registered once under an id, so the references inside it
// ("#/components/schemas/Order") resolve where they point; strict is off because an OpenAPI
// document holds keys (paths, info, examples) that are not JSON Schema keywords.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...doc, $id: 'openapi' });

const escapePointer = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

function follow(ref: string): Json {
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node as Json;
}

type Documented = { method: string; path: string; statuses: Map<string, ((body: unknown) => string | undefined) | undefined> };
const operations = new Map<string, Documented>();

for (const [path, methods] of Object.entries(doc.paths)) {
  for (const [method, operation] of Object.entries(methods)) {
    const statuses: Documented['statuses'] = new Map();
    for (const [status, declared] of Object.entries(operation.responses)) {
      // a response is either written out or a reference to components/responses
      const ref = typeof declared.$ref === 'string' ? declared.$ref : `#/paths/${escapePointer(path)}/${method}/responses/${status}`;
      const response = typeof declared.$ref === 'string' ? follow(declared.$ref) : declared;
      const content = response.content as Record<string, unknown> | undefined;
      if (!content?.['application/json']) {
        statuses.set(status, undefined);
        continue;
      }
      const validate = ajv.compile({ $ref: `openapi${ref}/content/application~1json/schema` });
      statuses.set(status, (body) => (validate(body) ? undefined : ajv.errorsText(validate.errors, { dataVar: 'body' })));
    }
    operations.set(operation.operationId, { method: method.toUpperCase(), path, statuses });
  }
}

export function operationIds(): string[] {
  return [...operations.keys()];
}

// What is wrong with an answer to an operation, or undefined when it is as documented.
export function checkAnswer(operationId: string, status: number, contentType: string | null, body: unknown): string | undefined {
  const operation = operations.get(operationId);
  if (!operation) return `openapi.json has no operation ${operationId}`;
  if (!operation.statuses.has(String(status))) {
    return `${operation.method} ${operation.path} (${operationId}) does not document status ${status}; it documents ${[...operation.statuses.keys()].join(', ')}`;
  }
  const validate = operation.statuses.get(String(status));
  if (!validate) return undefined;
  if (!/^application\/json\b/.test(contentType ?? '')) return `status ${status} must be JSON, got content-type ${contentType}`;
  const problem = validate(body);
  return problem ? `the ${status} body does not match openapi.json: ${problem}` : undefined;
}
