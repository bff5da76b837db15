// /runtime/types/packages/<slug>.json: one npm package's declaration files and its package.json
// (cut to what module resolution reads), {files: {"node_modules/cockatiel/dist/index.d.ts": text}}.
// One file per package, so chapters that share a package share the cached file.
import type { APIRoute, GetStaticPaths } from 'astro';
import { stageDeclarations } from '../../../../workbench/types/declarations.ts';

export const getStaticPaths: GetStaticPaths = () => [...stageDeclarations().packages.keys()].map((slug) => ({ params: { package: slug } }));

export const GET: APIRoute = ({ params }) => {
  const files = stageDeclarations().packages.get(String(params.package));
  if (!files) throw new Error(`No declarations for package ${params.package}`);
  return new Response(JSON.stringify({ files }), { headers: { 'content-type': 'application/json; charset=utf-8' } });
};
