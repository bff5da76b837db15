// /runtime/types/stages.json: for each stage, the packages whose declarations its code needs
// ({stages: {"07-surviving-the-network": ["cockatiel", "types__pg", ...]}}), each served as
// /runtime/types/packages/<slug>.json. The editor fetches them once it is opened.
import type { APIRoute } from 'astro';
import { stageDeclarations } from '../../../workbench/types/declarations.ts';

export const GET: APIRoute = () =>
  new Response(JSON.stringify({ stages: stageDeclarations().stages }), {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
