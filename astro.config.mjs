// @ts-check
import { readFileSync } from 'node:fs';
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { monacoCssAtRuntime } from './site/workbench/monaco-css.mjs';
import { repositoryUrl } from './site/lib/repository-url.mjs';

// WebContainer needs a cross-origin isolated page, so the dev and preview servers send the
// same headers as every deploy config (deploy/ keeps the one list they all share).
const isolationHeaders = JSON.parse(
  readFileSync(new URL('./deploy/isolation-headers.json', import.meta.url), 'utf8'),
);

// The repository the pages link to (runtime errors' remedy): package.json's `repository`, unless
// PUBLIC_REPOSITORY_URL is set. Vite hands PUBLIC_* variables of process.env to client code.
const repository = repositoryUrl(JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')), process.env);
if (repository) process.env.PUBLIC_REPOSITORY_URL = repository;

export default defineConfig({
  srcDir: './site',
  outDir: './dist',
  trailingSlash: 'always',
  integrations: [mdx()],
  server: {
    port: Number(process.env.PORT ?? 4321),
    host: '127.0.0.1',
    headers: isolationHeaders,
  },
  markdown: {
    shikiConfig: {
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
      defaultColor: false,
    },
  },
  vite: {
    preview: { headers: isolationHeaders },
    // The workbench's editor brings its CSS with it instead of into every chapter's <head>.
    plugins: [monacoCssAtRuntime()],
  },
});
