import { readFileSync } from 'node:fs';

// The single list of cross-origin isolation headers: astro.config.mjs and the deploy configs
// read or are checked against the same file.
export const isolationHeaders: Record<string, string> = JSON.parse(
  readFileSync(new URL('../deploy/isolation-headers.json', import.meta.url), 'utf8'),
);

// Headers of every answer of the project's own server: no other site may show its pages in a
// frame, where a disguised click could press Run or Stop (clickjacking). The site frames
// nothing of its own, so 'self' costs nothing; X-Frame-Options says the same to old browsers.
export const frameHeaders: Record<string, string> = {
  'Content-Security-Policy': "frame-ancestors 'self'",
  'X-Frame-Options': 'SAMEORIGIN',
};
