// The module boundary checker: green for the code as it is, red for the chapter's
// experiment (the orders module importing the inventory module's internals) and for SQL
// that reaches into another module's schema, and the shop refuses to start on either.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkModuleBoundaries } from '../src/boundaries.ts';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'shop-boundaries-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// The line the chapter's experiment adds to src/modules/orders/service.ts.
const EXPERIMENT = "import { PostgresProducts } from '../inventory/products.ts';";

// A copy of src/ with some files changed, and the checker's verdict on it.
function copyWith(changes: Record<string, (text: string) => string>): string {
  const stage = mkdtempSync(join(tmp, 'stage-'));
  cpSync(srcDir, join(stage, 'src'), { recursive: true });
  for (const [file, change] of Object.entries(changes)) {
    const path = join(stage, 'src', file);
    writeFileSync(path, change(readFileSync(path, 'utf8')));
  }
  return stage;
}
const check = (stage: string) => checkModuleBoundaries(pathToFileURL(join(stage, 'src') + '/'));

describe('module boundaries', () => {
  it('the code as it is keeps every module behind its index.ts', () => {
    assert.deepEqual(checkModuleBoundaries(pathToFileURL(srcDir)), []);
  });

  it('the experiment: importing another module\'s internals is caught', () => {
    const stage = copyWith({ 'modules/orders/service.ts': (t) => t.replace('// #region experiment-imports\n', `// #region experiment-imports\n${EXPERIMENT}\n`) });
    assert.deepEqual(check(stage), [
      'src/modules/orders/service.ts imports src/modules/inventory/products.ts: only src/modules/inventory/index.ts is public',
    ]);
  });

  it('SQL naming another module\'s schema is caught; comments and the module\'s own schema are not', () => {
    const stage = copyWith({
      'modules/orders/orders.ts': (t) =>
        t.replace('FROM orders.order_lines l WHERE', 'FROM orders.order_lines l JOIN inventory.products p ON p.sku = l.sku WHERE') +
        "\n// We don't read payments.payments here: SELECT * FROM payments.payments would be wrong.\n",
    });
    assert.deepEqual(check(stage), [
      'src/modules/orders/orders.ts queries inventory.products: the inventory schema belongs to the inventory module; ask for what you need through src/modules/inventory/index.ts',
    ]);
  });

  it('re-exports, dynamic imports and code outside the modules are checked too', () => {
    const stage = copyWith({
      'modules/payments/index.ts': (t) => `${t}\nexport { PostgresNotifications } from '../notifications/notifications.ts';\n`,
      'app.ts': (t) => `${t}\nexport const peek = () => import('./modules/orders/orders.ts');\n`,
    });
    assert.deepEqual(check(stage), [
      'src/app.ts imports src/modules/orders/orders.ts: only src/modules/orders/index.ts is public',
      'src/modules/payments/index.ts imports src/modules/notifications/notifications.ts: only src/modules/notifications/index.ts is public',
    ]);
  });

  it('the shop refuses to start on the experiment, and says why', async () => {
    const stage = copyWith({ 'modules/orders/service.ts': (t) => t.replace('// #region experiment-imports\n', `// #region experiment-imports\n${EXPERIMENT}\n`) });
    symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(stage, 'node_modules'), 'dir');
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(process.execPath, ['src/main.ts'], { cwd: stage, env: { ...process.env, PORT: '0' }, timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: stdout + stderr }),
      );
    });
    assert.equal(result.code, 1, result.output);
    assert.match(result.output, /shop could not start: a module reaches past another module's public interface/);
    assert.match(result.output, /src\/modules\/orders\/service\.ts imports src\/modules\/inventory\/products\.ts/);
  });
});
