// The compare page's first script: small on purpose. It opens a file's diff when the reader
// asks for it (the editor loads then, see diff-view.ts) and starts the runs module on the
// first Run both, Run scenario or Measure (see runs.ts).
import type { CompareRuns } from './runs.ts';

function wireDiffs(root: HTMLElement): void {
  const list = root.querySelector<HTMLElement>('.diffs');
  if (!list) return;
  const { from = '', to = '', fromLabel = '', toLabel = '' } = list.dataset;
  const load = (details: HTMLDetailsElement) => {
    const host = details.querySelector<HTMLElement>('[data-diff-host]');
    if (!host || host.dataset.loading !== undefined) return;
    host.dataset.loading = '';
    import('./diff-view.ts')
      .then(({ showDiff }) => showDiff(host, { from, to, fromLabel, toLabel, path: details.dataset.path ?? '' }))
      .then(() => details.classList.add('has-editor'))
      .catch((error: unknown) => {
        delete host.dataset.loading;
        host.hidden = true;
        console.warn('compare: the diff editor did not load; the text diff stays', error);
      });
  };
  // The reader's click (or Enter) on a file, not the `toggle` event: printing opens every
  // file too, and what prints is the text diff, so no editor should load then.
  for (const details of list.querySelectorAll<HTMLDetailsElement>('details[data-file-diff]')) {
    details.querySelector('summary')?.addEventListener('click', () => {
      if (!details.open) load(details);
    });
  }
  // A link to a file (the table's, or one shared by an instructor) opens its diff; a click
  // counts too, since following the same link twice changes no hash.
  const openTarget = (hash: string) => {
    const target = hash ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
    if (!(target instanceof HTMLDetailsElement) || !list.contains(target)) return;
    target.open = true;
    load(target);
  };
  root.addEventListener('click', (event) => {
    const link = (event.target as Element).closest?.<HTMLAnchorElement>('a[href^="#"]');
    if (link) openTarget(link.hash);
  });
  addEventListener('hashchange', () => openTarget(location.hash));
  openTarget(location.hash);
}

function wireRuns(root: HTMLElement): void {
  let runs: Promise<CompareRuns> | undefined;
  const use = (action: (r: CompareRuns) => Promise<unknown> | unknown) => {
    runs ??= import('./runs.ts').then(({ createCompareRuns }) => createCompareRuns(root));
    runs.then(action).catch((error: unknown) => {
      runs = undefined;
      console.error('compare:', error);
    });
  };
  const button = (action: string) => root.querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
  button('run-both')?.addEventListener('click', () => use((r) => r.runBoth()));
  button('stop-both')?.addEventListener('click', () => use((r) => r.stopBoth()));
  button('run-scenario')?.addEventListener('click', () => use((r) => r.runScenario()));
  const measure = root.querySelector<HTMLFormElement>('[data-measure-form]');
  measure?.addEventListener('submit', (event) => {
    event.preventDefault();
    const repetitions = Number((measure.elements.namedItem('repetitions') as HTMLInputElement).value);
    use((r) => r.measure(repetitions));
  });
}

for (const root of document.querySelectorAll<HTMLElement>('[data-compare]')) {
  wireDiffs(root);
  wireRuns(root);
}
