// Runs before the real-WebContainer specs: without a route to StackBlitz's runtime host,
// WebContainer.boot() never settles, and every spec would wait out the adapter's boot timeout
// and its own. Fail in seconds instead, with what to do about it.
import { existsSync } from 'node:fs';

export const RUNTIME_HOST = 'https://stackblitz.com/';

/** Resolves when the host answers at all (any HTTP status); rejects with a clear message otherwise. */
export async function checkRuntimeHost(fetchFn: typeof fetch = fetch, timeoutMs = 8_000): Promise<void> {
  try {
    const response = await fetchFn(RUNTIME_HOST, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer().catch(() => {});
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `npm run test:webcontainer needs the real WebContainer, whose runtime host ${RUNTIME_HOST} is not reachable from here ` +
        `(${cause?.code ?? cause?.message ?? (error as Error).message}).\n` +
        'Run it on a machine with internet access (behind an HTTP proxy: NODE_USE_ENV_PROXY=1 with HTTPS_PROXY set). ' +
        'Nothing was tested: the WebContainer path is unproven on this machine. Its adapter is unit-tested against a fake (npx vitest run site/runtime/).',
    );
  }
}

export default async function globalSetup(): Promise<void> {
  if (!existsSync('dist/index.html')) throw new Error('No built site in dist/: run `npm run build` first, then `npm run test:webcontainer`.');
  await checkRuntimeHost();
}
