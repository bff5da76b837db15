import { chromium } from '@playwright/test';
const url = process.argv[2]; const out = process.argv[3];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
await page.goto(url);
await page.waitForTimeout(500);
const info = await page.evaluate(() => {
  const vw = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 && r.width > 0) {
      // only report the outermost offender
      let p = el.parentElement, parentWide = false;
      while (p && p !== document.body) { if (p.getBoundingClientRect().right > vw + 1) { parentWide = true; break; } p = p.parentElement; }
      if (!parentWide) wide.push(`${el.tagName}.${el.className} right=${Math.round(r.right)} w=${Math.round(r.width)}`);
    }
  }
  return { vw, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 20) };
});
console.log(JSON.stringify(info, null, 1));
if (out) await page.screenshot({ path: out, fullPage: false });
await browser.close();
