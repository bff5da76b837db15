import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const expected = Object.entries(JSON.parse(read('deploy/isolation-headers.json')) as Record<string, string>);

// Each host has its own config format; all must carry the same isolation headers.
describe('deploy configs send the cross-origin isolation headers', () => {
  it('Netlify', () => {
    const toml = read('netlify.toml');
    expect(toml).toMatch(/for = "\/\*"/);
    for (const [name, value] of expected) expect(toml).toContain(`${name} = "${value}"`);
  });

  it('Vercel', () => {
    const config = JSON.parse(read('vercel.json')) as { headers: { source: string; headers: { key: string; value: string }[] }[] };
    const all = config.headers.find((h) => h.source === '/(.*)');
    expect(all?.headers.map((h) => [h.key, h.value])).toEqual(expected);
  });

  it('Cloudflare Pages', () => {
    const lines = read('public/_headers').split('\n');
    expect(lines).toContain('/*');
    for (const [name, value] of expected) expect(lines).toContain(`  ${name}: ${value}`);
  });

  it('GitHub Pages: no headers, so the workflow builds with Node 24 and publishes dist/ with the service worker in it', () => {
    const workflow = read('.github/workflows/pages.yml');
    expect(workflow).toMatch(/node-version: 24\b/);
    expect(workflow).toMatch(/run: npm run build\b/);
    expect(workflow).toMatch(/uses: actions\/upload-pages-artifact@v\d+\s+with:\s+path: dist\b/);
    expect(read('site/pages/isolation-sw.js.ts')).toContain("from '../../deploy/isolation-headers.json'");
  });
});
