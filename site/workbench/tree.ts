// A stage's flat file list as the nested folders the Files tree shows: folders first, then
// files, each level sorted by name.
export interface TreeFile {
  kind: 'file';
  name: string;
  path: string;
}
export interface TreeFolder {
  kind: 'folder';
  name: string;
  path: string;
  children: TreeNode[];
}
export type TreeNode = TreeFile | TreeFolder;

export function buildTree(paths: readonly string[]): TreeNode[] {
  const root: TreeFolder = { kind: 'folder', name: '', path: '', children: [] };
  for (const path of paths) {
    const parts = path.split('/');
    let folder = root;
    parts.forEach((name, i) => {
      const soFar = parts.slice(0, i + 1).join('/');
      if (i === parts.length - 1) {
        folder.children.push({ kind: 'file', name, path: soFar });
        return;
      }
      let next = folder.children.find((c): c is TreeFolder => c.kind === 'folder' && c.name === name);
      if (!next) {
        next = { kind: 'folder', name, path: soFar, children: [] };
        folder.children.push(next);
      }
      folder = next;
    });
  }
  sortTree(root);
  return root.children;
}

function sortTree(folder: TreeFolder): void {
  folder.children.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
  for (const child of folder.children) if (child.kind === 'folder') sortTree(child);
}
