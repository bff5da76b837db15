// Keyboard and pointer behaviour of the Files tree, after the WAI-ARIA tree pattern: arrows
// move and open/close folders, Home/End jump, Enter or Space opens a file, typing a letter
// moves to the next item starting with it. One item is the tree's tab stop (roving tabindex).
export interface TreeControl {
  /** Marks `path` as the open file. */
  select(path: string): void;
  /** Marks files as modified, in the look and in their accessible names. */
  markModified(paths: ReadonlySet<string>): void;
}

export function wireTree(tree: HTMLElement, open: (path: string) => void): TreeControl {
  const items = () => [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')];
  // Inside a closed folder, or the solution before the reader asked for it: not reachable.
  const visible = () => items().filter((item) => !item.closest('[hidden]') && !item.parentElement?.closest('[aria-expanded="false"]'));
  const isFolder = (item: HTMLElement) => item.hasAttribute('aria-expanded');
  const parentOf = (item: HTMLElement) => item.parentElement?.closest<HTMLElement>('[role="treeitem"]') ?? undefined;

  const focus = (item: HTMLElement | undefined) => {
    if (!item) return;
    for (const other of items()) other.tabIndex = other === item ? 0 : -1;
    item.focus();
  };
  const toggle = (folder: HTMLElement, expanded = folder.getAttribute('aria-expanded') !== 'true') =>
    folder.setAttribute('aria-expanded', String(expanded));
  const activate = (item: HTMLElement) => {
    if (isFolder(item)) toggle(item);
    else if (item.dataset.path) open(item.dataset.path);
  };

  tree.addEventListener('click', (event) => {
    const item = (event.target as Element).closest<HTMLElement>('[role="treeitem"]');
    if (!item || !tree.contains(item)) return;
    focus(item);
    activate(item);
  });

  tree.addEventListener('keydown', (event) => {
    const current = (event.target as Element).closest<HTMLElement>('[role="treeitem"]');
    if (!current || event.altKey || event.ctrlKey || event.metaKey) return;
    const list = visible();
    const at = list.indexOf(current);
    let handled = true;
    switch (event.key) {
      case 'ArrowDown': focus(list[at + 1]); break;
      case 'ArrowUp': focus(list[at - 1]); break;
      case 'Home': focus(list[0]); break;
      case 'End': focus(list[list.length - 1]); break;
      case 'ArrowRight':
        if (isFolder(current)) {
          if (current.getAttribute('aria-expanded') === 'true') focus(current.querySelector<HTMLElement>('[role="treeitem"]') ?? undefined);
          else toggle(current, true);
        }
        break;
      case 'ArrowLeft':
        if (isFolder(current) && current.getAttribute('aria-expanded') === 'true') toggle(current, false);
        else focus(parentOf(current));
        break;
      case 'Enter':
      case ' ':
        activate(current);
        break;
      default:
        if (event.key.length === 1 && /\S/.test(event.key)) {
          const key = event.key.toLowerCase();
          // The name as the reader sees it, without the row's markers (changed, modified, counts).
          const name = (item: HTMLElement) => (item.dataset.path ?? item.dataset.folder ?? '').split('/').pop()!.toLowerCase();
          const after = [...list.slice(at + 1), ...list.slice(0, at + 1)];
          focus(after.find((item) => name(item).startsWith(key)));
        } else handled = false;
    }
    if (handled) event.preventDefault();
  });

  return {
    select(path) {
      for (const item of items()) {
        if (!item.dataset.path) continue;
        const selected = item.dataset.path === path;
        item.setAttribute('aria-selected', String(selected));
        if (selected) {
          for (const other of items()) other.tabIndex = other === item ? 0 : -1;
          for (let folder = parentOf(item); folder; folder = parentOf(folder)) toggle(folder, true);
        }
      }
    },
    markModified(paths) {
      for (const item of items()) {
        const path = item.dataset.path;
        if (!path) continue;
        const modified = paths.has(path);
        item.toggleAttribute('data-modified', modified);
        item.setAttribute('aria-label', modified ? `${path}, modified` : path);
      }
    },
  };
}
