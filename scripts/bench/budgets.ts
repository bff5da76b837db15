// The budgets of architecture.md, in one place; `npm run bench -- --check` fails past them.
export const budgets = {
  /** A chapter page before the reader touches the workbench. */
  firstLoadJsGzipBytes: 60 * 1024,
  lighthouse: { performance: 95, accessibility: 100, 'best-practices': 95, seo: 95 },
  /** Run -> Ready of stage 1 on the Local runtime. */
  stage1RunToReadyMs: 1500,
  /** The whole site build on 2 cores. */
  buildMs: 90_000,
  /** Everything in dist/, the editor and the dependency snapshot included. */
  siteBytes: 60 * 1024 * 1024,
} as const;
