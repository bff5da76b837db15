// Once per boot: pin Node, mount the dependency snapshot at node_modules/ (the ONE snapshot
// every slot resolves bare imports from, by walking up from its files), write the helpers and
// ask the container's Node what it can do.
import { RuntimeError, type RunListener } from '../port.ts';
import type { WebContainerLike } from './api.ts';
import { pinNode } from './pin.ts';
import { describeProbe, runProbe, writeProbe } from './probe.ts';
import { REQUEST_HELPER, REQUEST_HELPER_PATH } from './requests.ts';
import type { BootState } from './state.ts';

/**
 * The dependency snapshot ships gzipped (a third of its size). A host that labels `.gz` files
 * `Content-Encoding: gzip` has the browser unpack it already, so the gzip header decides.
 */
async function unpacked(bytes: ArrayBuffer): Promise<ArrayBuffer> {
  const head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  if (head[0] !== 0x1f || head[1] !== 0x8b) return bytes;
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
}

async function mountDependencies(instance: WebContainerLike, fetchFn: typeof fetch, baseUrl: string, listener: Partial<RunListener>): Promise<void> {
  await instance.fs.mkdir('node_modules', { recursive: true });
  const response = await fetchFn(`${baseUrl}runtime/manifest.json`, { cache: 'no-cache' });
  if (!response.ok) {
    listener.output?.(`No dependency snapshot at ${baseUrl}runtime/manifest.json (HTTP ${response.status}); stages with dependencies will fail. \`npm run build\` makes it.\n`);
    return;
  }
  const manifest = (await response.json()) as { deps: { file: string; files: number } };
  if (manifest.deps.files === 0) return;
  const snapshot = await fetchFn(`${baseUrl}runtime/${manifest.deps.file}`);
  if (!snapshot.ok) throw new RuntimeError(`Could not load the dependency snapshot (HTTP ${snapshot.status}).`, 'Reload the page; if it persists, the site build is incomplete.');
  await instance.mount(await unpacked(await snapshot.arrayBuffer()), { mountPoint: 'node_modules' });
}

export function prepare(state: BootState, instance: WebContainerLike, fetchFn: typeof fetch, baseUrl: string, listener: Partial<RunListener>): Promise<void> {
  state.prepared ??= (async () => {
    listener.status?.('mounting', 'Mounting the dependencies…');
    await pinNode(instance);
    await mountDependencies(instance, fetchFn, baseUrl, listener);
    await instance.fs.mkdir('runtime/out', { recursive: true });
    await instance.fs.writeFile(REQUEST_HELPER_PATH, REQUEST_HELPER);
    await writeProbe(instance);
    try {
      state.probe = await runProbe(state, instance);
      state.probeReport = describeProbe(state.probe);
    } catch (error) {
      // Not knowing is no reason to refuse to run: the stage's own output will say more.
      state.probe = undefined;
      state.probeReport = `Could not ask the container's Node what it can do: ${(error as Error).message}\n`;
    }
  })();
  const prepared = state.prepared;
  prepared.catch(() => {
    if (state.prepared === prepared) state.prepared = undefined;
  });
  return prepared;
}
