// The workbench's views. On a phone it shows one pane at a time: Code, Output, Requests or
// Steps, chosen with tabs. On wider screens Output and Requests are always shown, and the tabs
// (only when the chapter has an experiment's Steps) choose what the main pane shows: Code or
// Steps. A pane carries the tabpanel role only while a visible tab controls it.
export type View = 'code' | 'output' | 'requests' | 'steps';

const phone = () => matchMedia('(max-width: 47.99rem)');
/** Views that share the main pane on a wide screen; the others are always shown there. */
const mainViews: readonly string[] = ['code', 'steps'];

export function showView(root: HTMLElement, view: View): void {
  root.dataset.view = view;
  for (const tab of root.querySelectorAll<HTMLElement>('[data-views] [data-view]')) {
    const selected = tab.dataset.view === view;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
}

export function wireViews(root: HTMLElement, tablist: HTMLElement): void {
  const tabs = [...tablist.querySelectorAll<HTMLElement>('[role="tab"]')];
  const panes = tabs.map((tab) => document.getElementById(tab.getAttribute('aria-controls') ?? ''));
  const hasSteps = tabs.some((tab) => tab.dataset.view === 'steps');
  const inUse = (tab: HTMLElement) => phone().matches || (hasSteps && mainViews.includes(tab.dataset.view ?? ''));
  const sync = () => {
    panes.forEach((pane, i) => {
      if (!pane) return;
      const tab = tabs[i]!;
      if (inUse(tab)) {
        pane.setAttribute('role', 'tabpanel');
        pane.setAttribute('aria-labelledby', (tab.id ||= `wb-view-${tab.dataset.view}`));
      } else {
        pane.removeAttribute('role');
        pane.removeAttribute('aria-labelledby');
      }
    });
    // Leaving the phone layout on Output or Requests: the main pane shows the code again.
    if (!phone().matches && !mainViews.includes(root.dataset.view ?? 'code')) showView(root, 'code');
  };
  sync();
  phone().addEventListener('change', sync);
  tablist.addEventListener('click', (event) => {
    const tab = (event.target as Element).closest<HTMLElement>('[data-view]');
    if (tab) showView(root, tab.dataset.view as View);
  });
  tablist.addEventListener('keydown', (event) => {
    const shown = tabs.filter(inUse);
    const at = shown.indexOf(event.target as HTMLElement);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: shown.length - 1 }[event.key];
    if (at === -1 || to === undefined) return;
    event.preventDefault();
    const tab = shown[(to + shown.length) % shown.length]!;
    showView(root, tab.dataset.view as View);
    tab.focus();
  });
}

export const isPhone = () => phone().matches;
