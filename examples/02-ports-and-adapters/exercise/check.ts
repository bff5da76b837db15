// Checks the chapter's exercise, the SMS notifier:
//   customers are told by text message instead of email. Add src/adapters/sms-notifier.ts
//   exporting a class SmsNotifier that implements the Notifier port: it prints
//   `sms to <customerId>: <text>`, and since a text message holds at most 160 characters,
//   a longer text is cut to its first 159 characters followed by "…". Plug it in in
//   src/main.ts. Nothing under src/domain/ may change: that is the point.
//
// Run it with `npm run check:exercise`. It looks at the domain files, tries the adapter on
// its own, then starts this stage with `npm start`, places and cancels an order and reads
// what the shop printed.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';

type Order = { id: string; status: string };

const stageDir = new URL('..', import.meta.url);
const run = Math.random().toString(36).slice(2, 8);
const problems: string[] = [];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// #region domain-fingerprints
// What the domain files hold in the starting code (sha-256 of the text, first 16 hex digits).
const DOMAIN_FINGERPRINTS: Record<string, string> = {
  'model.ts': 'e4a8084564b23e64',
  'ports.ts': '597eaa496880d8ab',
  'shop.ts': 'cd159137209aee1f',
  'validate.ts': 'bf578483b3d276b4',
};
// #endregion domain-fingerprints

function fingerprint(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex').slice(0, 16);
}

function checkDomainUntouched(): void {
  const dir = fileURLToPath(new URL('src/domain/', stageDir));
  const files = readdirSync(dir).filter((name) => name.endsWith('.ts')).sort();
  const expected = Object.keys(DOMAIN_FINGERPRINTS).sort();
  if (files.join() !== expected.join()) {
    problems.push(`src/domain/ holds ${files.join(', ')}; it should hold exactly ${expected.join(', ')}, as it did`);
  }
  for (const name of expected) {
    const path = `${dir}${name}`;
    if (existsSync(path) && fingerprint(readFileSync(path, 'utf8')) !== DOMAIN_FINGERPRINTS[name]) {
      problems.push(`src/domain/${name} was changed: a new adapter should plug into the ports without touching the domain (Reset files puts it back)`);
    }
  }
}

// The adapter on its own: does it print the right line, and cut long texts to 160 characters?
async function checkAdapter(): Promise<void> {
  const path = fileURLToPath(new URL('src/adapters/sms-notifier.ts', stageDir));
  if (!existsSync(path)) {
    problems.push('there is no src/adapters/sms-notifier.ts yet');
    return;
  }
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const SmsNotifier = module.SmsNotifier as (new () => { send(customerId: string, text: string): Promise<void> }) | undefined;
  if (typeof SmsNotifier !== 'function') {
    problems.push('src/adapters/sms-notifier.ts does not export a class SmsNotifier');
    return;
  }
  const printed: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => printed.push(args.join(' '));
  try {
    const notifier = new SmsNotifier();
    await notifier.send('ada', 'Short and sweet.');
    await notifier.send('ada', 'x'.repeat(160));
    await notifier.send('ada', `${'y'.repeat(170)}END`);
  } finally {
    console.log = original;
  }
  const expected = ['sms to ada: Short and sweet.', `sms to ada: ${'x'.repeat(160)}`, `sms to ada: ${'y'.repeat(159)}…`];
  for (let i = 0; i < expected.length; i++) {
    if (printed[i] !== expected[i]) {
      const what = ['a short text', 'a text of exactly 160 characters', 'a text of 173 characters'][i];
      problems.push(`SmsNotifier.send for ${what} printed ${JSON.stringify(printed[i] ?? '(nothing)')}, expected ${JSON.stringify(expected[i])}`);
    }
  }
}

// The whole shop: is the SMS notifier the one main plugged in?
async function checkWiring(): Promise<void> {
  let stage: Stage | undefined;
  try {
    stage = await startStage(stageDir);
    const sku = `sms-kettle-${run}`;
    const customerId = `sms-${run}`;
    const created = await request(stage.url, 'POST', '/products', { sku, name: 'Exercise kettle', priceCents: 1999, stock: 5 });
    if (created.status !== 201) throw new Error(`could not create ${sku}: ${created.status} ${created.text}`);
    const placed = await request<Order>(stage.url, 'POST', '/orders', { customerId, items: [{ sku, quantity: 1 }] });
    if (placed.status !== 201) throw new Error(`POST /orders answered ${placed.status} ${placed.text}`);
    const id = placed.json.id;
    const cancelled = await request(stage.url, 'POST', `/orders/${id}/cancel`, { reason: 'r'.repeat(300) });
    if (cancelled.status !== 200) throw new Error(`cancelling ${id} answered ${cancelled.status} ${cancelled.text}`);

    // The shop prints as it goes; give the output a moment to arrive.
    const mine = () => stage?.output().split('\n').filter((line) => line.includes(`to ${customerId}:`)) ?? [];
    for (let waited = 0; mine().length < 2 && waited < 2_000; waited += 50) await sleep(50);
    const lines = mine();
    const confirmed = `sms to ${customerId}: Order ${id} is confirmed. Total: $19.99.`;
    if (!lines.includes(confirmed)) {
      const emailed = lines.some((line) => line.startsWith('email to'));
      problems.push(
        emailed
          ? 'the shop still sends emails: plug the SmsNotifier in in src/main.ts'
          : `the shop did not print "${confirmed}" when the order was confirmed`,
      );
    }
    const cancelText = lines.find((line) => line.startsWith(`sms to ${customerId}: Order ${id} is cancelled`));
    if (cancelText && cancelText.length - `sms to ${customerId}: `.length !== 160) {
      problems.push('the cancellation text message (with a 300-character reason) is not cut to 160 characters');
    }
    if (lines.includes(confirmed) && lines.some((line) => line.startsWith('email to'))) {
      problems.push('the shop sent an email too: customers should get one text message, not an email as well');
    }
  } catch (error) {
    problems.push(`the check could not run the shop: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await stage?.stop();
  }
}

checkDomainUntouched();
await checkAdapter();
if (problems.length === 0) await checkWiring();

if (problems.length === 0) {
  console.log('✔ exercise solved: customers get text messages, cut to 160 characters, and the domain did not change');
  process.exit(0);
} else {
  console.log('✘ exercise not solved yet:');
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
