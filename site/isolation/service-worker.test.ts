import { describe, expect, it } from 'vitest';
import { isolationWorkerSource } from './service-worker.ts';

const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const origin = 'https://owner.example';

type FetchEvent = { request: Request; respondWith(response: Promise<Response>): void };

/** The worker's source run against a stand-in `self` whose fetch answers with `answer`. */
function worker(answer: (request: Request) => Response) {
  const listeners = new Map<string, (event: unknown) => void>();
  const self = { location: { origin }, addEventListener: (type: string, listener: (event: unknown) => void) => listeners.set(type, listener), clients: { claim: () => Promise.resolve() }, skipWaiting() {} };
  new Function('self', 'fetch', isolationWorkerSource(headers))(self, (request: Request) => Promise.resolve(answer(request)));
  return async (request: Request): Promise<Response | undefined> => {
    let responded: Promise<Response> | undefined;
    listeners.get('fetch')!({ request, respondWith: (response) => (responded = response) } satisfies FetchEvent);
    return responded;
  };
}

describe('the isolation service worker', () => {
  it('adds the isolation headers to the site’s own responses and keeps the rest', async () => {
    const handle = worker(() => new Response('<p>page</p>', { status: 200, headers: { 'content-type': 'text/html' } }));
    const response = (await handle(new Request(`${origin}/chapters/01-single-file/`)))!;
    expect(Object.fromEntries(response.headers)).toEqual({ 'content-type': 'text/html', 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    expect(await response.text()).toBe('<p>page</p>');
  });

  it('keeps the status, and gives statuses without a body none', async () => {
    expect((await worker(() => new Response('gone', { status: 404, statusText: 'Not Found' }))(new Request(`${origin}/x`)))!.status).toBe(404);
    const notModified = (await worker(() => new Response(null, { status: 304 }))(new Request(`${origin}/x`)))!;
    expect([notModified.status, notModified.body, notModified.headers.get('cross-origin-embedder-policy')]).toEqual([304, null, 'require-corp']);
  });

  it('leaves other origins to the browser', async () => {
    const handle = worker(() => {
      throw new Error('fetched');
    });
    expect(await handle(new Request('https://stackblitz.com/headless'))).toBeUndefined();
  });
});
