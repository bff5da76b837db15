// Pins the container's Node. WebContainer runs Node 20 unless the project opts in to Node 22,
// by `engines.node` in the package.json at the container root or by a `.nvmrc` there; its
// maintainers' example names the exact release (stackblitz/webcontainer-core#560, January
// 2026). The stages need 22.18 or newer (type stripping without a flag). Both files are
// written once per boot, before the first `node` is spawned; the stages' own package.json
// files sit deeper (slots/<slot>/examples/<stage>/) and stay as they are.
import type { WebContainerLike } from './api.ts';

/** The Node release the container is asked for. */
export const CONTAINER_NODE = '22.22.0';

export const ROOT_PACKAGE_JSON = `${JSON.stringify({ name: 'workbench', private: true, engines: { node: CONTAINER_NODE } }, null, 2)}\n`;

export async function pinNode(instance: WebContainerLike): Promise<void> {
  await instance.fs.writeFile('package.json', ROOT_PACKAGE_JSON);
  await instance.fs.writeFile('.nvmrc', `v${CONTAINER_NODE}\n`);
}
