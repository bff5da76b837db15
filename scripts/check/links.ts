// Every internal link and anchor of the built site resolves. Reads dist/ as a static host
// would serve it: "/a/b/" is dist/a/b/index.html.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { result, type CheckResult } from './report.ts';

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return htmlFiles(full);
    return name.endsWith('.html') ? [full] : [];
  });
}

const idsOf = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));

function pageUrl(dist: string, file: string): string {
  const path = '/' + relative(dist, file).split(sep).join('/');
  return path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path;
}

function targetFile(dist: string, pathname: string): string | undefined {
  const candidates = pathname.endsWith('/') ? [join(dist, pathname, 'index.html')] : [join(dist, pathname), join(dist, pathname, 'index.html')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

export function checkLinks(dist: string): CheckResult {
  const problems: string[] = [];
  const pages = htmlFiles(dist);
  const ids = new Map<string, Set<string>>();
  const idsFor = (file: string) => {
    if (!ids.has(file)) ids.set(file, idsOf(readFileSync(file, 'utf8')));
    return ids.get(file)!;
  };
  let links = 0;
  for (const page of pages) {
    const html = readFileSync(page, 'utf8');
    const base = new URL(pageUrl(dist, page), 'http://site.local');
    for (const match of html.matchAll(/<a\s[^>]*href="([^"]*)"/g)) {
      const href = match[1]!.replaceAll('&amp;', '&');
      if (/^(mailto:|javascript:|data:)/.test(href)) continue;
      const url = new URL(href, base);
      if (url.origin !== base.origin) continue;
      links++;
      const where = `${pageUrl(dist, page)} links to ${href}`;
      const file = targetFile(dist, decodeURIComponent(url.pathname));
      if (!file) {
        problems.push(`${where}: no such page`);
        continue;
      }
      if (url.hash && url.hash !== '#' && !idsFor(file).has(decodeURIComponent(url.hash.slice(1)))) {
        problems.push(`${where}: no element with id "${url.hash.slice(1)}" on that page`);
      }
    }
  }
  return result('links and anchors', problems, [`${links} internal links on ${pages.length} pages`]);
}
