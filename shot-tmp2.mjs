import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
for (const url of process.argv.slice(2)) {
  await page.goto(url);
  await page.waitForTimeout(300);
  const before = await page.evaluate(() => [document.documentElement.scrollWidth, document.body.scrollWidth]);
  // open every folded diff too
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right <= vw + 1 || r.width === 0) continue;
      let p = el.parentElement, clipped = false;
      while (p && p !== document.body) { const o = getComputedStyle(p).overflowX; if (o !== 'visible') { clipped = true; break; } p = p.parentElement; }
      if (!clipped) wide.push(`${el.tagName}.${el.className} right=${Math.round(r.right)} text=${el.textContent.slice(0,60)} parent=${el.parentElement.tagName}.${el.parentElement.className}`);
    }
    return { sw: document.documentElement.scrollWidth, wide: wide.slice(0, 8) };
  });
  console.log(url, JSON.stringify(before), JSON.stringify(after));
}
await browser.close();
