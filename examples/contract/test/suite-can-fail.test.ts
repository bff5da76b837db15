// A contract suite that never fails proves nothing. This runs it against copies of stage 1
// with one deliberate bug each and checks that it goes red for the right reason.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const stage1 = fileURLToPath(new URL('../../01-single-file/', import.meta.url));
const suiteUrl = pathToFileURL(fileURLToPath(new URL('../src/suite.ts', import.meta.url))).href;

type Mutant = {
  name: string;
  // what the bug does, for the test's title
  bug: string;
  find: string;
  replace: string;
  // tests that must fail against this mutant
  mustFail: string[];
  // what the stage output shown with a failure holds (its "ready" line unless told: a mutant
  // that logs an error per request pushes that line out of the last lines shown)
  outputShows?: RegExp;
};

const mutants: Mutant[] = [
  {
    name: 'oversells',
    bug: 'sells stock it does not have',
    find: 'const short = picked.find((p) => p.product.stock < p.quantity);',
    replace: 'const short = picked.find(() => false);',
    mustFail: [
      '30 concurrent buyers for 10 units: exactly 10 confirmed, stock ends at 0, money matches',
      'an order for more than the stock is rejected out_of_stock and changes nothing',
    ],
  },
  {
    name: 'declines-too-late',
    bug: 'lets the card processor accept up to 5,000,000 cents',
    find: 'const CARD_LIMIT_CENTS = 500_000;',
    replace: 'const CARD_LIMIT_CENTS = 5_000_000;',
    mustFail: ['the card processor declines a charge above 500,000 cents: rejected payment_declined, no money kept'],
  },
  {
    name: 'plain-text-errors',
    bug: 'answers errors in plain text',
    find: 'sendJson(res, status, { error: { code, message } });',
    replace: "res.writeHead(status, { 'content-type': 'text/plain' }); res.end(message);",
    mustFail: [
      'unknown route or id GET /no-such-route answers 404 not_found as JSON',
      'malformed JSON answers 400 invalid_json',
    ],
  },
  // the contract fuzz (src/fuzz.ts) must find these on its own, with its fixed seed
  {
    name: 'no-order-bound',
    bug: 'takes orders of any total',
    find: 'const MAX_ORDER_TOTAL_CENTS = 1_000_000_000;',
    replace: 'const MAX_ORDER_TOTAL_CENTS = Number.MAX_SAFE_INTEGER;',
    mustFail: ['placeOrder: every answer is documented in openapi.json and none is a 5xx'],
  },
  {
    name: 'utf16-lengths',
    bug: 'counts text lengths in UTF-16 units, not characters',
    find: 'const length = [...value].length;',
    replace: 'const length = value.length;',
    mustFail: ['createProduct: every answer is documented in openapi.json and none is a 5xx'],
  },
  // the hostile-request suite (src/hostile.ts) must find this one
  {
    name: 'url-parser-routing',
    bug: 'reads the request target with new URL(), as every stage did before issue 28',
    find: "  const target = parseTarget(req.url);\n  if ('invalid' in target) throw new ShopError(400, 'invalid_request', target.invalid);\n  const { url } = target;\n",
    replace: "  const url = new URL(req.url ?? '/', 'http://shop.local');\n",
    mustFail: [
      'no request target reaches another host, gets a 5xx, or takes a process down; the stage stays healthy',
      'an absolute-form target is answered by its path alone, never by the host it names',
    ],
    outputShows: /TypeError: Invalid URL/,
  },
  {
    name: 'bare-parser-errors',
    bug: "leaves what Node's own parser refuses to Node (a bare 400 or 431, CONNECT closed unanswered)",
    find: 'return answerClientErrors(http.createServer(',
    replace: 'return (http.createServer(',
    mustFail: [
      'no request target reaches another host, gets a 5xx, or takes a process down; the stage stays healthy',
      "what Node's own parser refuses is answered with the contract's JSON error, and the connection closed",
    ],
    // by the hostile suite the stage's last lines are the emails of the orders placed before it
    outputShows: /email to \S+: Order ord_\d+ is/,
  },
];

// A test every mutant still passes: proof that the copy started and answered, so the
// failures above come from the bug and not from a broken copy.
const mustPass = 'GET /health answers 200 {"status":"ok"}';

function runSuite(dir: string): Promise<{ code: number; output: string }> {
  // The child must be a top-level test run, not a subtest reporting to us.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--test', '--test-reporter=tap', 'test/contract.test.ts'],
      { cwd: dir, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: stdout + stderr });
      },
    );
  });
}

function results(tap: string): { passed: Set<string>; failed: Set<string> } {
  const passed = new Set<string>();
  const failed = new Set<string>();
  for (const match of tap.matchAll(/^\s*(not ok|ok) \d+ - (.*)$/gm)) {
    const name = (match[2] ?? '').replace(/\\#/g, '#').replace(/\\\\/g, '\\');
    (match[1] === 'ok' ? passed : failed).add(name);
  }
  return { passed, failed };
}

describe('the contract suite catches broken stages', { concurrency: true }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'shop-mutants-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const mutant of mutants) {
    it(`fails against a stage 1 that ${mutant.bug}`, async () => {
      const dir = join(tmp, mutant.name);
      cpSync(join(stage1, 'src'), join(dir, 'src'), { recursive: true });
      cpSync(join(stage1, 'package.json'), join(dir, 'package.json'));
      cpSync(join(stage1, 'stage.json'), join(dir, 'stage.json'));

      const file = join(dir, 'src', 'shop.ts');
      const source = readFileSync(file, 'utf8');
      // If shop.ts was refactored and the text is gone, say so instead of testing nothing.
      assert.equal(
        source.split(mutant.find).length - 1,
        1,
        `mutant ${mutant.name}: expected exactly one "${mutant.find}" in stage 1's src/shop.ts; update this mutant`,
      );
      writeFileSync(file, source.replace(mutant.find, mutant.replace));

      mkdirSync(join(dir, 'test'));
      writeFileSync(
        join(dir, 'test', 'contract.test.ts'),
        `import { contractSuite } from ${JSON.stringify(suiteUrl)};\ncontractSuite(new URL('..', import.meta.url));\n`,
      );

      const { code, output } = await runSuite(dir);
      const { passed, failed } = results(output);
      assert.notEqual(code, 0, `the suite passed against mutant ${mutant.name}:\n${output}`);
      assert.ok(passed.has(mustPass), `mutant ${mutant.name} did not even answer /health:\n${output}`);
      for (const name of mutant.mustFail) {
        assert.ok(failed.has(name), `expected "${name}" to fail against mutant ${mutant.name}; failed: ${[...failed].join(' | ')}`);
      }
      // a failure comes with what the stage printed (TAP keeps a diagnostic on one line)
      const shows = mutant.outputShows ?? /shop ready on http:\/\/127\.0\.0\.1:\d+/;
      assert.match(output, new RegExp(`# the stage's last \\d+ lines of output:[^\\n]*${shows.source}`), `no stage output after the failures of mutant ${mutant.name}`);
    });
  }
});
