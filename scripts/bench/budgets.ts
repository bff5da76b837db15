// The budgets of architecture.md, in one place; `npm run bench -- --check` fails past them.
export const budgets = {
  /** A chapter page before the reader touches the workbench. */
  firstLoadJsGzipBytes: 60 * 1024,
  /** Lighthouse on a chapter page (mobile preset, median of 5 runs). */
  lighthouse: { performance: 95, accessibility: 100, 'best-practices': 95, seo: 95 },
  /**
   * The home page is not a chapter page, so architecture.md's 95 does not bind it; it ships no
   * script of its own beyond the theme and search ones, and its score moves 86-99 between
   * identical runs on a 2-core VM (the blocking time of its one layout task, multiplied 4x by
   * Lighthouse's CPU simulation). It is held to a floor that still catches a real regression.
   */
  lighthouseHome: { performance: 90, accessibility: 100, 'best-practices': 95, seo: 95 },
  /** Run -> Ready of stage 1 on the Local runtime. */
  stage1RunToReadyMs: 1500,
  /** The whole site build on 2 cores. */
  buildMs: 90_000,
  /** Summed RSS of a stage's processes with the light profile, run the container's way (issue 26). */
  containerLightRssBytes: 1.5 * 1024 * 1024 * 1024,
  /**
   * Everything in dist/, the editor and the dependency snapshot included. It grows with each
   * stage, mostly by the stage's highlighted page and its comparisons with every other stage:
   * 53.2 MB with twelve stages, 60.4 MB with thirteen. The budget leaves room for one more stage
   * and catches a change that adds megabytes by accident (a data file, a bundle, an image).
   */
  siteBytes: 68 * 1024 * 1024,
} as const;
