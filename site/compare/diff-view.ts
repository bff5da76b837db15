// A file's diff in Monaco's diff editor, side by side where there is room. Loaded only when
// the reader opens a file; both stages' files come from the same /runtime/files/<stage>.json
// the workbench uses, fetched once per page.
import type { FileMap } from '../runtime/port.ts';
import { followTheme, monaco, registerLanguages } from '../workbench/client/monaco-setup.ts';
import { editorLanguageOf } from '../workbench/types/editor-inputs.ts';
import { fetchStageFiles } from '../workbench/client/page-runtime.ts';

export interface DiffTarget {
  from: string;
  to: string;
  fromLabel: string;
  toLabel: string;
  path: string;
}

const stageFiles = new Map<string, Promise<FileMap>>();
function filesOf(stage: string): Promise<FileMap> {
  let files = stageFiles.get(stage);
  if (!files) {
    stageFiles.set(stage, (files = fetchStageFiles(stage)));
    files.catch(() => stageFiles.delete(stage));
  }
  return files;
}

function modelFor(stage: string, path: string, text: string): monaco.editor.ITextModel {
  const uri = monaco.Uri.parse(`file:///compare/${stage}/${path}`);
  return monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, editorLanguageOf(path), uri);
}

export async function showDiff(host: HTMLElement, { from, to, fromLabel, toLabel, path }: DiffTarget): Promise<void> {
  registerLanguages();
  const [before, after] = await Promise.all([filesOf(from), filesOf(to)]);
  host.hidden = false;
  followTheme();
  const editor = monaco.editor.createDiffEditor(host, {
    readOnly: true,
    originalEditable: false,
    automaticLayout: true,
    // Side by side needs room; a narrow window gets the inline view.
    useInlineViewWhenSpaceIsLimited: true,
    renderSideBySideInlineBreakpoint: 720,
    hideUnchangedRegions: { enabled: true },
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    fontSize: 13,
  });
  // Set on each side's editor: the diff editor's own originalAriaLabel and modifiedAriaLabel
  // leave the editors unnamed in this Monaco version (0.57).
  editor.getOriginalEditor().updateOptions({ ariaLabel: `${path}, ${fromLabel} (before)` });
  editor.getModifiedEditor().updateOptions({ ariaLabel: `${path}, ${toLabel} (after)` });
  editor.setModel({ original: modelFor(from, path, before[path] ?? ''), modified: modelFor(to, path, after[path] ?? '') });
  // As tall as the diff needs (unchanged stretches folded), within limits: a two-line change
  // should not leave a screenful of empty editor, and a long one scrolls inside.
  const fit = () => {
    const content = Math.max(editor.getOriginalEditor().getContentHeight(), editor.getModifiedEditor().getContentHeight());
    host.style.height = `${Math.min(Math.max(content + 8, 120), 560)}px`;
  };
  editor.onDidUpdateDiff(fit);
  fit();
}
