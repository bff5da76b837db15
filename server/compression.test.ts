import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, isCompressible } from './compression.ts';

const request = (acceptEncoding?: string) => ({ headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }) as IncomingMessage;

describe('acceptsGzip', () => {
  it('reads Accept-Encoding, weights included', () => {
    expect(acceptsGzip(request('gzip, deflate, br'))).toBe(true);
    expect(acceptsGzip(request('br;q=1.0, gzip;q=0.8'))).toBe(true);
    expect(acceptsGzip(request('*'))).toBe(true);
    expect(acceptsGzip(request('gzip;q=0'))).toBe(false);
    expect(acceptsGzip(request('identity'))).toBe(false);
    expect(acceptsGzip(request())).toBe(false);
  });
});

describe('isCompressible', () => {
  it('compresses text, JSON, SVG and WebAssembly, not images or archives', () => {
    expect(['text/html; charset=utf-8', 'application/json; charset=utf-8', 'image/svg+xml', 'application/wasm'].map(isCompressible)).toEqual([true, true, true, true]);
    expect(['image/png', 'application/zip', 'font/woff2', 'application/octet-stream'].map(isCompressible)).toEqual([false, false, false, false]);
  });
});
