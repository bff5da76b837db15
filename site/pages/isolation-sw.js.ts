// /isolation-sw.js: the service worker that isolates the site on hosts without the headers
// (../isolation/service-worker.ts), built from the one list every host config uses.
import type { APIRoute } from 'astro';
import isolationHeaders from '../../deploy/isolation-headers.json';
import { isolationWorkerSource } from '../isolation/service-worker.ts';

export const GET: APIRoute = () =>
  new Response(isolationWorkerSource(isolationHeaders), { headers: { 'content-type': 'text/javascript; charset=utf-8' } });
