// A stage's flat file list as the nested folders the Files tree shows, in the order a reader
// needs them: the code (src/) first, then the other folders, the tests and the exercise, then
// the loose files. test/ and exercise/ start collapsed (the tests of a late stage outnumber its
// code), the solution waits behind the reader's request, and the files this stage changed
// since the one before are marked, with a count on each folder that holds some.
export interface TreeFile {
  kind: 'file';
  name: string;
  path: string;
  /** Added or changed since the previous stage. */
  changed: boolean;
}
export interface TreeFolder {
  kind: 'folder';
  name: string;
  path: string;
  children: TreeNode[];
  /** Shown closed until the reader opens it. */
  collapsed: boolean;
  /** exercise/solution: hidden until the reader asks for the answer. */
  solution: boolean;
  /** How many files under this folder changed since the previous stage. */
  changed: number;
}
export type TreeNode = TreeFile | TreeFolder;

export const solutionFolder = 'exercise/solution';
const collapsedByDefault = new Set(['test', 'exercise']);

/** Lower comes first; ties go by name. */
function rank(node: TreeNode): number {
  if (node.kind === 'file') return 4;
  if (node.solution) return 5;
  return { src: 0, test: 2, exercise: 3 }[node.path] ?? 1;
}

export function buildTree(paths: readonly string[], changed: ReadonlySet<string> = new Set()): TreeNode[] {
  const root = folderNode('', '');
  for (const path of paths) {
    const parts = path.split('/');
    let folder = root;
    parts.forEach((name, i) => {
      const soFar = parts.slice(0, i + 1).join('/');
      if (i === parts.length - 1) {
        folder.children.push({ kind: 'file', name, path: soFar, changed: changed.has(path) });
        return;
      }
      let next = folder.children.find((c): c is TreeFolder => c.kind === 'folder' && c.name === name);
      if (!next) {
        next = folderNode(name, soFar);
        folder.children.push(next);
      }
      folder = next;
    });
  }
  settle(root);
  return root.children;
}

function folderNode(name: string, path: string): TreeFolder {
  return { kind: 'folder', name, path, children: [], collapsed: collapsedByDefault.has(path), solution: path === solutionFolder, changed: 0 };
}

/** Sorts every level and counts the changed files under each folder. */
function settle(folder: TreeFolder): number {
  folder.children.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  folder.changed = folder.children.reduce((sum, child) => sum + (child.kind === 'file' ? Number(child.changed) : settle(child)), 0);
  return folder.changed;
}
