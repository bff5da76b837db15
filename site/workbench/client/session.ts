// Everything the workbench does once the reader starts using it, loaded on first interaction:
// the stage's files, saving edits, the editor (itself loaded only when the code is touched),
// runs, requests, reset with undo, download, share links and deep links.
import type { FileMap } from '../../runtime/port.ts';
import { setStatus, type Parts } from './dom.ts';
import type { TreeControl } from './tree-nav.ts';
import type { EditorController } from './editor.ts';
import { applyEdits, loadEdits, loadUndo, saveEdits, saveUndo } from './store.ts';
import { OutputView } from './output.ts';
import { Runner } from './runner.ts';
import { fetchStageFiles, getRuntime } from './page-runtime.ts';
import { readForm, showPending, showProblem, showResponse } from './console.ts';
import { showNotice } from './notice.ts';
import { runCheck } from './check.ts';
import { wireOpenTabs } from './open-tabs.ts';
import { REVEAL_SOLUTION, isSolutionPath } from './solution.ts';
import { decodeShare, encodeShare, shareHash } from './share.ts';
import { deepLinkUrl, describeLines, type DeepLink } from './links.ts';
import { isPhone, showView } from './view-tabs.ts';

export interface Session {
  openFile(path: string, options?: { focus?: boolean }): Promise<void>;
  /** Loads the editor and focuses it, on `line` if given. */
  openEditor(line?: number): Promise<void>;
  openDeepLink(link: DeepLink): Promise<void>;
  offerShared(encoded: string): Promise<void>;
  run(): void;
  /** Runs the exercise check on the current files (client/check.ts). */
  check(): Promise<void>;
  stop(): Promise<void>;
  send(): Promise<void>;
  askReset(): void;
  download(): Promise<void>;
  share(): Promise<void>;
  clearOutput(): void;
}

/** How long Send waits for an answer before saying so. */
const requestTimeoutMs = 20_000;

const list = (paths: string[]) => (paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', '));

export async function createSession(parts: Parts, tree: TreeControl): Promise<Session> {
  const { stage, root } = parts;
  const originals = await fetchStageFiles(stage);
  let edits: FileMap = Object.fromEntries(Object.entries(loadEdits(stage)).filter(([path]) => path in originals));
  let activePath = parts.entry;
  let editor: EditorController | undefined;
  let editorLoading: Promise<EditorController> | undefined;

  // --- saving: every change, on a short debounce, and at once when the page goes away ---
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let saveFailed = false;
  const save = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    try {
      saveEdits(stage, edits);
      saveFailed = false;
    } catch (error) {
      if (saveFailed) return;
      saveFailed = true;
      showNotice(parts.notice, `Your edits could not be saved in this browser (${(error as Error).message}). Download the files to keep them.`, {
        actions: [{ label: 'Download', run: () => void session.download() }],
      });
    }
  };
  const scheduleSave = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 120);
  };
  addEventListener('pagehide', save);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden' && saveTimer !== undefined) save();
  });

  const tabs = wireOpenTabs(parts.tabs, parts.host.id, (path) => void session.openFile(path, { focus: false }));
  const markModified = () => {
    const modified = new Set(Object.keys(edits));
    tree.markModified(modified);
    tabs.markModified(modified);
  };
  const setEdit = (path: string, text: string) => {
    if (originals[path] === text) delete edits[path];
    else edits[path] = text;
    markModified();
    scheduleSave();
  };
  /**
   * Replaces all edits at once (reset, undo, a shared link), in the editor too. The edits,
   * the tree and the saved copy change at once; an editor still loading (Monaco takes seconds
   * in a fresh browser) gets them when it is there, so nothing waits on it.
   */
  const replaceEdits = async (next: FileMap) => {
    edits = { ...next };
    markModified();
    save();
    const ed = editor ?? (await editorLoading?.catch(() => undefined));
    ed?.setFiles(applyEdits(originals, edits));
  };
  markModified();

  // --- the editor ---
  const ensureEditor = () =>
    (editorLoading ??= (async () => {
      parts.host.setAttribute('aria-busy', 'true');
      try {
        const { createEditor } = await import('./editor.ts');
        const created = createEditor(parts.host, {
          stage,
          files: applyEdits(originals, edits),
          problems: parts.problems,
          onChange: setEdit,
          onRun: () => session.run(),
          onCopyLink: (path, start, end) => void copyLineLink({ file: path, lines: { start, end } }),
        });
        created.open(activePath);
        editor = created;
        return created;
      } catch (error) {
        editorLoading = undefined;
        setStatus(parts, `The editor could not load: ${(error as Error).message}`, 'error', 'Reload the page to try again.');
        throw error;
      } finally {
        parts.host.removeAttribute('aria-busy');
      }
    })());

  const copyLineLink = async (link: DeepLink) => {
    const url = deepLinkUrl(location, link);
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      // No clipboard permission: the field below lets the reader copy it.
    }
    showNotice(parts.notice, copied ? `Link to ${describeLines(link)} copied.` : `Link to ${describeLines(link)}:`, {
      copyText: { label: 'Link to these lines', value: url },
    });
  };

  // --- output and runs ---
  const output = new OutputView(parts.output, parts.outputScroll);
  const runner = new Runner(
    stage,
    {
      status: (text, kind, remedy) => setStatus(parts, text, kind, remedy),
      output: (text) => output.append(text),
      running: (active) => {
        parts.button('stop').disabled = !active;
      },
    },
    getRuntime,
  );

  const session: Session = {
    async openFile(path, options = {}) {
      if (!(path in originals)) return;
      activePath = path;
      tree.select(path);
      tabs.open(path);
      const ed = await ensureEditor();
      ed.open(path);
      if (options.focus !== false) ed.focus();
    },

    async openEditor(line) {
      const ed = await ensureEditor();
      if (line) ed.goToLine(line);
      ed.focus();
    },

    async openDeepLink(link) {
      if (!(link.file in originals)) {
        showNotice(parts.notice, `The link points to ${link.file}, which stage ${stage} does not have.`);
        return;
      }
      if (isSolutionPath(link.file)) root.dispatchEvent(new Event(REVEAL_SOLUTION));
      await session.openFile(link.file);
      if (link.lines) editor?.highlight(link.lines.start, link.lines.end);
      if (isPhone()) showView(root, 'code');
      root.scrollIntoView({ block: 'start' });
      showNotice(parts.notice, `Showing ${describeLines(link)}.`);
    },

    async offerShared(encoded) {
      const clearHash = () => history.replaceState(history.state, '', location.pathname + location.search);
      let shared;
      try {
        shared = await decodeShare(encoded);
      } catch (error) {
        showNotice(parts.notice, `This share link could not be read: ${(error as Error).message}.`);
        clearHash();
        return;
      }
      if (shared.stage !== stage) {
        showNotice(parts.notice, `This share link carries edits for stage ${shared.stage}, not for this chapter's stage ${stage}.`);
        return;
      }
      const incoming = Object.fromEntries(Object.entries(shared.files).filter(([path, text]) => path in originals && originals[path] !== text));
      const paths = Object.keys(incoming);
      if (paths.length === 0) {
        showNotice(parts.notice, 'This share link carries no changes to the files.');
        clearHash();
        return;
      }
      const mine = Object.keys(edits).filter((path) => edits[path] !== incoming[path]);
      const warning = mine.length ? ` Loading them replaces your own edits (${list(mine)}); you can undo that.` : '';
      showNotice(parts.notice, `This link carries edits to ${list(paths)}.${warning}`, {
        focus: true,
        actions: [
          {
            label: 'Load shared edits',
            primary: true,
            run: () => {
              clearHash();
              const previous = edits;
              saveUndo(stage, previous);
              void replaceEdits(incoming).then(() => {
                void session.openFile(paths[0]!);
                showNotice(parts.notice, `Loaded the shared edits to ${list(paths)}.`, {
                  actions: [{ label: 'Undo', run: () => void replaceEdits(previous).then(() => showNotice(parts.notice, 'Your own edits are back.')) }],
                });
              });
            },
          },
          { label: 'Ignore', run: clearHash },
        ],
      });
    },

    run() {
      if (isPhone()) showView(root, 'output');
      output.clear();
      save();
      runner.start(applyEdits(originals, edits)).catch(() => {
        // The runner has put the error and its remedy in the status line.
      });
    },

    check() {
      save();
      return runCheck({ parts, files: () => applyEdits(originals, edits), getRuntime, output });
    },

    stop: () => runner.stop(),

    async send() {
      let request;
      try {
        request = readForm(parts.form);
      } catch (error) {
        showProblem(parts.response, (error as Error).message);
        return;
      }
      if (!runner.active) session.run();
      showPending(parts.response, request);
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer after ${requestTimeoutMs / 1000} s`)), requestTimeoutMs);
        });
        const response = await Promise.race([runner.request(request), timeout]);
        showResponse(parts.response, request, response);
        // On a phone the form fills the screen: bring the answer into view.
        if (isPhone()) parts.response.scrollIntoView({ block: 'nearest' });
      } catch (error) {
        showProblem(parts.response, `No response: ${(error as Error).message}. Check the status line and the Output, then Send again.`);
      } finally {
        clearTimeout(timer);
      }
    },

    askReset() {
      const paths = Object.keys(edits);
      if (paths.length === 0) {
        showNotice(parts.notice, 'Nothing to reset: every file is the original.');
        return;
      }
      const dialog = parts.resetDialog;
      const names = dialog.querySelector('[data-reset-list]');
      if (names) names.textContent = list(paths);
      dialog.returnValue = '';
      dialog.addEventListener(
        'close',
        () => {
          if (dialog.returnValue !== 'reset') return;
          const previous = edits;
          saveUndo(stage, previous);
          void replaceEdits({}).then(() => {
            showNotice(parts.notice, `Files reset to the original (${list(Object.keys(previous))}).`, {
              focus: true,
              actions: [
                {
                  label: 'Undo reset',
                  primary: true,
                  run: () => void replaceEdits(loadUndo(stage)).then(() => showNotice(parts.notice, 'Your edits are back.')),
                },
              ],
            });
          });
        },
        { once: true },
      );
      dialog.showModal();
    },

    async download() {
      const { zipFiles } = await import('./zip.ts');
      const bytes = zipFiles(applyEdits(originals, edits), stage);
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${stage}.zip`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      const count = Object.keys(edits).length;
      showNotice(parts.notice, `Downloaded ${stage}.zip${count ? ` with your edits to ${count === 1 ? '1 file' : `${count} files`}` : ''}.`);
    },

    async share() {
      const paths = Object.keys(edits);
      if (paths.length === 0) {
        showNotice(parts.notice, 'Nothing to share yet: a share link carries your edits, and every file is still the original.');
        return;
      }
      const encoded = await encodeShare({ stage, files: edits });
      const url = `${location.origin}${location.pathname}${shareHash(encoded)}`;
      let copied = false;
      try {
        await navigator.clipboard.writeText(url);
        copied = true;
      } catch {
        // The field in the notice lets the reader copy it by hand.
      }
      showNotice(parts.notice, `${copied ? 'Share link copied' : 'Share link ready'}: it carries your edits to ${list(paths)}.`, {
        copyText: { label: 'Share link', value: url },
      });
    },

    clearOutput() {
      output.clear();
    },
  };
  return session;
}
