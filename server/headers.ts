import { readFileSync } from 'node:fs';

// The single list of cross-origin isolation headers: astro.config.mjs and the deploy configs
// read or are checked against the same file.
export const isolationHeaders: Record<string, string> = JSON.parse(
  readFileSync(new URL('../deploy/isolation-headers.json', import.meta.url), 'utf8'),
);
