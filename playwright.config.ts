import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, findTestChromium } from './tests/support/browser.ts';
import { runnerCookieState, sharedRunnerToken } from './tests/support/runner-token.ts';

const port = Number(process.env.E2E_PORT ?? 4455);
// The server is told the token, and every browser context starts with the cookie a reader's
// browser gets from the address `npm start` prints: pages carry the token as they do for a reader.
const token = sharedRunnerToken();

// Specs that never start a stage or a check (see `projects`).
const pageSpecs = [
  'site/**/*.spec.ts',
  'decide/**/*.spec.ts',
  'compare/diff.spec.ts',
  'compare/layout.spec.ts',
  'workbench/types.spec.ts',
  'workbench/first-load.spec.ts',
  'workbench/keyboard.spec.ts',
  'workbench/edits.spec.ts',
  'workbench/links.spec.ts',
  'lessons/12-decide.spec.ts',
];

// A chapter's experiment, followed step by step (the `lessons` project).
const lessonSpecs = ['lessons/**/*.spec.ts'];

export default defineConfig({
  testDir: './tests/e2e',
  fullyParallel: false,
  // One file at a time: the workbench tests time a real editor and real stages, and on two
  // cores a second worker made them miss their timeouts. E2E_WORKERS=2 on a bigger machine.
  workers: Number(process.env.E2E_WORKERS ?? 1),
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  // `npm test` runs the two projects as two suites, each with a report of its own.
  reporter: [['list'], ['json', { outputFile: process.env.E2E_REPORT ?? '.test-output/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromiumLaunchOptions(findTestChromium()),
    // Recording a trace costs a third of the run (screenshots of every step); the retry of a
    // failed test records one (CI retries once), and `npx playwright test --trace on` records all.
    trace: 'on-first-retry',
    storageState: runnerCookieState(port, token),
  },
  // Three projects: the specs that start stages (Run, Check, Run both) judge real processes
  // against timeouts; the others only load pages and the editor (`--project=pages` runs just
  // those). The stage specs are two projects, the chapters' experiments (`lessons`) and the
  // workbench's own (`stages`), so that `npm test` can run the longest of the three beside the
  // other two in turn. A new spec belongs to `stages` unless it is a lesson or listed in `pageSpecs`.
  projects: [
    { name: 'pages', testMatch: pageSpecs, use: { browserName: 'chromium' } },
    { name: 'lessons', testMatch: lessonSpecs, testIgnore: pageSpecs, use: { browserName: 'chromium' } },
    { name: 'stages', testIgnore: [...pageSpecs, ...lessonSpecs], use: { browserName: 'chromium' } },
  ],
  webServer: {
    // The built site behind the project's own server, exactly what `npm start` serves.
    command: `node server/main.ts`,
    env: { PORT: String(port), RUNNER_TOKEN: token },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
