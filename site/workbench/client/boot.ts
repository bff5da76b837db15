// The workbench's first script: small on purpose (no editor, no runtime). It wires the tree,
// the panes and the buttons, shows saved edits, and loads the rest (session.ts) on the
// reader's first real interaction: focusing the code, Run, Send, a deep link or a share link.
import { partsOf, setStatus, type Parts } from './dom.ts';
import { wireTree } from './tree-nav.ts';
import { wireSolution } from './solution.ts';
import { wireMaximise, wireSplitter } from './splitter.ts';
import { wireViews } from './view-tabs.ts';
import { wirePresets } from './presets.ts';
import { wireSteps } from './steps.ts';
import { loadEdits } from './store.ts';
import { parseDeepLink, sharedInHash } from './links.ts';
import type { Session } from './session.ts';

function showSavedPreview(parts: Parts, text: string): void {
  const preview = parts.host.querySelector<HTMLElement>('[data-static]');
  if (!preview) return;
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  for (const line of text.split('\n')) {
    const span = document.createElement('span');
    span.className = 'line';
    span.textContent = line;
    code.append(span, '\n');
  }
  pre.append(code);
  pre.tabIndex = 0;
  preview.replaceChildren(pre);
}

function boot(root: HTMLElement): void {
  const parts = partsOf(root);
  let session: Promise<Session> | undefined;
  const getSession = () =>
    (session ??= import('./session.ts')
      .then((module) => module.createSession(parts, tree))
      .catch((error: unknown) => {
        session = undefined;
        setStatus(parts, `The workbench could not load: ${error instanceof Error ? error.message : String(error)}`, 'error', 'Check your connection, then reload the page.');
        throw error;
      }));
  const use = (action: (s: Session) => unknown) => {
    getSession().then(action).catch(() => {
      // Already reported in the status line by getSession or by the action itself.
    });
  };

  const tree = wireTree(parts.tree, (path) => use((s) => s.openFile(path, { focus: false })));
  const edits = loadEdits(parts.stage);
  tree.markModified(new Set(Object.keys(edits)));
  const savedEntry = edits[parts.entry];
  if (savedEntry !== undefined) showSavedPreview(parts, savedEntry);

  wireSplitter(root, parts.splitter);
  const views = root.querySelector<HTMLElement>('[data-views]');
  if (views) wireViews(root, views);
  wirePresets(root, parts.form);
  // The lesson's parts of the shell: output/requests sizes, and the experiment's steps.
  const outputSplitter = root.querySelector<HTMLElement>('[data-output-splitter]');
  if (outputSplitter) wireSplitter(root, outputSplitter);
  wireMaximise(root, {
    side: root.querySelector<HTMLButtonElement>('[data-action="maximise"]'),
    code: root.querySelector<HTMLButtonElement>('[data-action="maximise-code"]'),
  });
  wireSteps(root, parts.form);

  const run = () => {
    if (parts.button('run').disabled) return;
    setStatus(parts, 'Loading…', 'busy');
    use((s) => s.run());
  };
  parts.button('run').addEventListener('click', run);
  parts.button('stop').addEventListener('click', () => use((s) => s.stop()));
  // Only stages with an exercise have these two (ExerciseTools.astro).
  root.querySelector('[data-action="check"]')?.addEventListener('click', () => use((s) => s.check()));
  wireSolution(root, parts.tree, parts.stage);
  parts.button('reset').addEventListener('click', () => use((s) => s.askReset()));
  parts.button('download').addEventListener('click', () => use((s) => s.download()));
  parts.button('share').addEventListener('click', () => use((s) => s.share()));
  parts.button('clear-output').addEventListener('click', () => {
    parts.output.textContent = '';
    use((s) => s.clearOutput());
  });
  parts.form.addEventListener('submit', (event) => {
    event.preventDefault();
    use((s) => s.send());
  });

  // Ctrl/Cmd+Enter: Send inside the request form, Run anywhere else in the workbench.
  root.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) return;
    event.preventDefault();
    if (parts.form.contains(event.target as Node)) parts.form.requestSubmit();
    else run();
  });

  // The editor loads when the reader reaches for the code.
  const preview = () => parts.host.querySelector('[data-static]');
  const openEditor = (event: Event) => {
    if (!preview()?.contains(event.target as Node)) return;
    // Put the cursor on the line the reader clicked in the preview.
    const line = (event.target as Element).closest?.('.line');
    const lines = line?.parentElement ? [...line.parentElement.children].filter((el) => el.classList.contains('line')) : [];
    const number = line ? lines.indexOf(line) + 1 : 0;
    use((s) => s.openEditor(number > 0 ? number : undefined));
  };
  parts.host.addEventListener('pointerdown', openEditor);
  parts.host.addEventListener('focusin', openEditor);
  parts.host.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') openEditor(event);
  });

  const link = parseDeepLink(location.search);
  if (link) {
    root.scrollIntoView({ block: 'start' });
    use((s) => s.openDeepLink(link));
  }
  const offerShared = () => {
    const shared = sharedInHash(location.hash);
    if (shared) use((s) => s.offerShared(shared));
  };
  offerShared();
  // A share link pasted into the address bar of an open chapter changes only the hash.
  addEventListener('hashchange', offerShared);
}

for (const root of document.querySelectorAll<HTMLElement>('[data-workbench]')) boot(root);
