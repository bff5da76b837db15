import { chromium } from '@playwright/test';
const base = process.argv[2];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'onLine', { get: () => false }));
await page.goto(`${base}/chapters/01-single-file/?runtime=webcontainer`);
const wb = page.getByRole('region', { name: 'Workbench' });
await wb.getByRole('button', { name: 'Run' }).click();
await wb.getByRole('status').filter({ hasText: 'offline' }).waitFor();
await wb.scrollIntoViewIfNeeded();
await page.screenshot({ path: '/tmp/local-first-offline.png', clip: await wb.boundingBox().then((b) => ({ x: b.x, y: b.y, width: b.width, height: 260 })) });
console.log(await wb.getByRole('status').textContent());
// the not-isolated case on the same page: the remedy text with a repository link, if configured
await browser.close();
