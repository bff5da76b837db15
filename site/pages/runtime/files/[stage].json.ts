// /runtime/files/<stage>.json: a stage's files as one JSON document, {files: {path: text}}.
// The workbench fetches its stage's map on the reader's first interaction; the WebContainer
// adapter fetches "contract" too, because stage files import the contract suite by path.
import type { APIRoute, GetStaticPaths } from 'astro';
import { listFileSets, readStageFiles } from '../../../workbench/stage-files.ts';

export const getStaticPaths: GetStaticPaths = () => listFileSets().map((stage) => ({ params: { stage } }));

export const GET: APIRoute = ({ params }) =>
  new Response(JSON.stringify({ files: readStageFiles(String(params.stage)) }), {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
