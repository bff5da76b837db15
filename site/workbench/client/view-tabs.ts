// On a phone the workbench shows one pane at a time: Code, Output or Requests, chosen with
// tabs. On wider screens the tabs are hidden and every pane is shown, so the panes carry the
// tabpanel role only while the tabs are in use.
export type View = 'code' | 'output' | 'requests';

const phone = () => matchMedia('(max-width: 47.99rem)');

export function showView(root: HTMLElement, view: View): void {
  root.dataset.view = view;
  for (const tab of root.querySelectorAll<HTMLElement>('[data-view]')) {
    const selected = tab.dataset.view === view;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
}

export function wireViews(root: HTMLElement, tablist: HTMLElement): void {
  const tabs = [...tablist.querySelectorAll<HTMLElement>('[role="tab"]')];
  const panes = tabs.map((tab) => document.getElementById(tab.getAttribute('aria-controls') ?? ''));
  const syncRoles = () => {
    panes.forEach((pane, i) => {
      if (!pane) return;
      if (phone().matches) {
        pane.setAttribute('role', 'tabpanel');
        pane.setAttribute('aria-labelledby', (tabs[i]!.id ||= `wb-view-${tabs[i]!.dataset.view}`));
      } else {
        pane.removeAttribute('role');
        pane.removeAttribute('aria-labelledby');
      }
    });
  };
  syncRoles();
  phone().addEventListener('change', syncRoles);
  tablist.addEventListener('click', (event) => {
    const tab = (event.target as Element).closest<HTMLElement>('[data-view]');
    if (tab) showView(root, tab.dataset.view as View);
  });
  tablist.addEventListener('keydown', (event) => {
    const at = tabs.indexOf(event.target as HTMLElement);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (at === -1 || to === undefined) return;
    event.preventDefault();
    const tab = tabs[(to + tabs.length) % tabs.length]!;
    showView(root, tab.dataset.view as View);
    tab.focus();
  });
}

export const isPhone = () => phone().matches;
