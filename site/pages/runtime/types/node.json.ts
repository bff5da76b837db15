// /runtime/types/node.json: Node's .d.ts files for the editor's TypeScript service.
import type { APIRoute } from 'astro';
import { readNodeTypes } from '../../../workbench/node-types.ts';

export const GET: APIRoute = () =>
  new Response(JSON.stringify({ files: readNodeTypes() }), {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
