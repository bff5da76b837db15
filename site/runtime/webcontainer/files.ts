// A slot's workspace inside the container, mirroring the repo:
//   slots/<slot>/examples/<stage>/...    the stage's files with the reader's edits
//   slots/<slot>/examples/contract/...   the contract suite (stages import it by relative path)
// The first run mounts it in one go; later runs write only what changed.
import type { FileSystemTree } from '@webcontainer/api';
import { RuntimeError, type FileMap } from '../port.ts';
import type { WebContainerLike } from './api.ts';
import type { SlotState } from './state.ts';

/** A 53-bit string hash (cyrb53): enough to tell whether a file changed since it was written. */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Files by workspace path -> the nested tree mount() takes. */
export function toTree(files: FileMap): FileSystemTree {
  const tree: FileSystemTree = {};
  for (const [path, contents] of Object.entries(files)) {
    const parts = path.split('/').filter(Boolean);
    let folder = tree;
    for (const part of parts.slice(0, -1)) {
      const node = (folder[part] ??= { directory: {} });
      if (!('directory' in node)) throw new Error(`${path}: ${part} is a file`);
      folder = node.directory;
    }
    folder[parts.at(-1)!] = { file: { contents } };
  }
  return tree;
}

/** The contract suite's files: the one place that knows that document's URL and shape. */
export async function fetchContractFiles(fetchFn: typeof fetch, baseUrl: string): Promise<FileMap> {
  const response = await fetchFn(`${baseUrl}runtime/files/contract.json`);
  if (!response.ok) throw new RuntimeError(`Could not load the contract suite's files (HTTP ${response.status}).`, 'Reload the page; if it persists, the site build is incomplete.');
  const { files } = (await response.json()) as { files: FileMap };
  return files;
}

/** The slot's folder, relative to the container's workdir. */
export const workspace = (slot: string) => `slots/${slot.replace(/[^A-Za-z0-9_-]/g, '_')}`;

async function writeOne(instance: WebContainerLike, slot: string, hashes: SlotState['hashes'], path: string, contents: string): Promise<void> {
  const folder = path.split('/').slice(0, -1).join('/');
  if (folder) await instance.fs.mkdir(`${workspace(slot)}/${folder}`, { recursive: true });
  await instance.fs.writeFile(`${workspace(slot)}/${path}`, contents);
  hashes.set(path, hashText(contents));
}

/**
 * Brings a slot's workspace to `wanted` (workspace paths): the first time in one mount(),
 * later by writing only the files whose hash changed and removing the files that are gone
 * from the folders `wanted` covers (another stage's folder in the same slot stays as it is).
 */
export async function sync(instance: WebContainerLike, slot: string, { hashes }: SlotState, wanted: FileMap): Promise<void> {
  if (hashes.size === 0) {
    await instance.fs.mkdir(workspace(slot), { recursive: true });
    await instance.mount(toTree(wanted), { mountPoint: workspace(slot) });
    for (const [path, contents] of Object.entries(wanted)) hashes.set(path, hashText(contents));
    return;
  }
  for (const [path, contents] of Object.entries(wanted)) {
    if (hashes.get(path) !== hashText(contents)) await writeOne(instance, slot, hashes, path, contents);
  }
  const folderOf = (path: string) => path.split('/').slice(0, 2).join('/');
  const covered = new Set(Object.keys(wanted).map(folderOf));
  for (const path of [...hashes.keys()]) {
    if (path in wanted || !covered.has(folderOf(path))) continue;
    await instance.fs.rm(`${workspace(slot)}/${path}`, { force: true });
    hashes.delete(path);
  }
}
