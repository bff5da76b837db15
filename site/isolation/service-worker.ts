// A service worker that makes the site cross-origin isolated on a host that cannot send the
// isolation headers itself (GitHub Pages): it answers every same-origin request with the
// host's response plus deploy/isolation-headers.json's headers, which is the approach of
// coi-serviceworker, written here for this site. Cross-origin requests are left to the browser,
// exactly as on a host that sends the headers. Registered by IsolationFallback.astro only where
// the page is not isolated already, so hosts that send the headers never install it.

/** Where the worker is served; its scope is the whole site. */
export const ISOLATION_WORKER_PATH = '/isolation-sw.js';

/** The worker's source, with the headers to add written into it. */
export function isolationWorkerSource(headers: Record<string, string>): string {
  return `// Adds the cross-origin isolation headers to this site's own responses (see the site's README, "Deploy your own copy").
const isolationHeaders = ${JSON.stringify(headers)};
// Statuses whose response may not carry a body.
const bodiless = new Set([101, 103, 204, 205, 304]);

self.addEventListener('install', () => self.skipWaiting());
// Take over the open page at once: it reloads when this worker starts controlling it.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  // Chrome rejects fetch() of such a request from a worker; the browser serves it from its cache itself.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(
    fetch(request).then((response) => {
      // Redirects and opaque responses cannot be rebuilt; the browser follows or uses them as they are.
      if (response.type === 'opaqueredirect' || response.status === 0) return response;
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries(isolationHeaders)) headers.set(name, value);
      return new Response(bodiless.has(response.status) ? null : response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
`;
}
