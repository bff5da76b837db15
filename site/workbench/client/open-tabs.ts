// The open-file tabs above the editor: a tablist, one tab per open file. Click or arrow keys
// switch; Delete (or the × on the tab) closes one; the last tab never closes.
export interface OpenTabs {
  open(path: string): void;
  close(path: string): void;
  paths(): string[];
  markModified(paths: ReadonlySet<string>): void;
}

const baseName = (path: string) => path.split('/').pop() ?? path;

export function wireOpenTabs(list: HTMLElement, panelId: string, activate: (path: string) => void): OpenTabs {
  const tabs = () => [...list.querySelectorAll<HTMLElement>('[role="tab"]')];
  const byPath = (path: string) => tabs().find((t) => t.dataset.path === path);
  let counter = tabs().length;

  const create = (path: string) => {
    const tab = document.createElement('button');
    tab.type = 'button';
    tab.setAttribute('role', 'tab');
    tab.id = `wb-tab-${counter++}`;
    tab.title = path;
    tab.dataset.path = path;
    tab.setAttribute('aria-controls', panelId);
    const close = document.createElement('span');
    close.className = 'wb-close';
    close.setAttribute('aria-hidden', 'true');
    close.dataset.close = '';
    close.textContent = '×';
    tab.append(baseName(path), close);
    list.append(tab);
    return tab;
  };
  // The tab rendered at build time gets its close mark too.
  for (const tab of tabs()) {
    if (tab.querySelector('[data-close]')) continue;
    const close = document.createElement('span');
    close.className = 'wb-close';
    close.setAttribute('aria-hidden', 'true');
    close.dataset.close = '';
    close.textContent = '×';
    tab.append(close);
  }

  const select = (path: string) => {
    for (const tab of tabs()) {
      const selected = tab.dataset.path === path;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected) {
        document.getElementById(panelId)?.setAttribute('aria-labelledby', tab.id);
        tab.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      }
    }
  };

  const api: OpenTabs = {
    open(path) {
      if (!byPath(path)) create(path);
      select(path);
    },
    close(path) {
      const all = tabs();
      const tab = byPath(path);
      if (!tab || all.length < 2) return;
      const wasSelected = tab.getAttribute('aria-selected') === 'true';
      const next = all[all.indexOf(tab) + 1] ?? all[all.indexOf(tab) - 1];
      tab.remove();
      if (wasSelected && next?.dataset.path) {
        select(next.dataset.path);
        activate(next.dataset.path);
        next.focus();
      }
    },
    paths: () => tabs().map((t) => t.dataset.path ?? ''),
    markModified(paths) {
      for (const tab of tabs()) {
        const path = tab.dataset.path ?? '';
        tab.toggleAttribute('data-modified', paths.has(path));
        tab.setAttribute('aria-label', paths.has(path) ? `${baseName(path)}, modified` : baseName(path));
      }
    },
  };

  list.addEventListener('click', (event) => {
    const tab = (event.target as Element).closest<HTMLElement>('[role="tab"]');
    const path = tab?.dataset.path;
    if (!path) return;
    if ((event.target as Element).closest('[data-close]')) {
      api.close(path);
      return;
    }
    select(path);
    activate(path);
  });
  list.addEventListener('keydown', (event) => {
    const all = tabs();
    const at = all.indexOf(event.target as HTMLElement);
    if (at === -1) return;
    const current = all[at]!;
    if (event.key === 'Delete') {
      event.preventDefault();
      api.close(current.dataset.path ?? '');
      return;
    }
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const tab = all[(to + all.length) % all.length]!;
    select(tab.dataset.path ?? '');
    activate(tab.dataset.path ?? '');
    tab.focus();
  });
  return api;
}
