import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from './static.ts';

let root = '';
let server: Server;
let origin = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'static-'));
  mkdirSync(join(root, '_astro'));
  mkdirSync(join(root, 'runtime'));
  mkdirSync(join(root, 'chapters', 'one'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><title>x</title></head><body>home</body></html>');
  writeFileSync(join(root, 'chapters', 'one', 'index.html'), '<!doctype html><html><head></head><body>one</body></html>');
  writeFileSync(join(root, '_astro', 'app.abc123.js'), 'console.log(1)');
  writeFileSync(join(root, 'runtime', 'deps-0123abcd.bin.gz'), Buffer.alloc(8));
  writeFileSync(join(root, 'runtime', 'manifest.json'), '{}');
  const handler = serveStatic(root);
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('serveStatic', () => {
  it('caches hashed files for a year and revalidates everything else', async () => {
    const cache = async (path: string) => (await fetch(origin + path)).headers.get('cache-control');
    expect(await cache('/_astro/app.abc123.js')).toBe('public, max-age=31536000, immutable');
    expect(await cache('/runtime/deps-0123abcd.bin.gz')).toBe('public, max-age=31536000, immutable');
    expect(await cache('/runtime/manifest.json')).toBe('no-cache');
    expect(await cache('/')).toBe('no-cache');
  });

  it('redirects a folder without its slash and refuses to leave the root', async () => {
    const redirect = await fetch(origin + '/chapters/one', { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/chapters/one/');
    expect((await fetch(origin + '/%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(200);
  });

  it('gzips text for clients that take it, and serves the same bytes to those that do not', async () => {
    const gzipped = await fetch(origin + '/', { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(gzipped.headers.get('vary')).toBe('accept-encoding');
    expect(await gzipped.text()).toContain('<body>home</body>');
    const plain = await fetch(origin + '/', { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('<body>home</body>');
    const binary = await fetch(origin + '/runtime/deps-0123abcd.bin.gz', { headers: { 'accept-encoding': 'gzip' } });
    expect(binary.headers.get('content-encoding')).toBeNull();
  });

  it('never serves a stale gzipped copy after the file changed', async () => {
    const file = join(root, 'changing.txt');
    writeFileSync(file, 'first version');
    expect(await (await fetch(origin + '/changing.txt')).text()).toBe('first version');
    writeFileSync(file, 'second, longer version');
    expect(await (await fetch(origin + '/changing.txt')).text()).toBe('second, longer version');
  });

  it('answers 404 for a missing page', async () => {
    expect((await fetch(origin + '/nothing/')).status).toBe(404);
  });
});
