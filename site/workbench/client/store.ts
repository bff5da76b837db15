// The reader's edits, per stage, in localStorage: only files that differ from the original are
// kept, so a later fix to an untouched file reaches the reader. Small on purpose: the page's
// first script reads it to mark modified files before any editor is loaded.
import type { FileMap } from '../../runtime/port.ts';

type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

interface Saved {
  v: 1;
  files: FileMap;
  savedAt: number;
}

const editsKey = (stage: string) => `workbench:edits:${stage}`;
const undoKey = (stage: string) => `workbench:undo:${stage}`;

function storage(): KeyValue | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // Some privacy settings throw on the mere access.
  }
}

function read(store: KeyValue | undefined, key: string): FileMap {
  try {
    const saved = JSON.parse(store?.getItem(key) ?? 'null') as Saved | null;
    if (saved?.v !== 1 || typeof saved.files !== 'object' || saved.files === null) return {};
    return Object.fromEntries(Object.entries(saved.files).filter(([, text]) => typeof text === 'string'));
  } catch {
    return {};
  }
}

/** Throws when the browser refuses to store (blocked storage, quota): the caller tells the reader. */
function write(store: KeyValue | undefined, key: string, files: FileMap): void {
  if (!store) throw new Error('this browser does not let the page store data');
  if (Object.keys(files).length === 0) store.removeItem(key);
  else store.setItem(key, JSON.stringify({ v: 1, files, savedAt: Date.now() } satisfies Saved));
}

export function loadEdits(stage: string, store = storage()): FileMap {
  return read(store, editsKey(stage));
}

export function saveEdits(stage: string, edits: FileMap, store = storage()): void {
  write(store, editsKey(stage), edits);
}

/** What a reset or a loaded share link replaced, so "Undo" can bring it back, even after a reload. */
export function loadUndo(stage: string, store = storage()): FileMap {
  return read(store, undoKey(stage));
}

export function saveUndo(stage: string, edits: FileMap, store = storage()): void {
  write(store, undoKey(stage), edits);
}

/** The files of `current` that differ from the original. */
export function diffEdits(originals: FileMap, current: FileMap): FileMap {
  const edits: FileMap = {};
  for (const [path, text] of Object.entries(current)) if (originals[path] !== text) edits[path] = text;
  return edits;
}

/** The originals with the edits on top; an edit to a file the stage no longer has is dropped. */
export function applyEdits(originals: FileMap, edits: FileMap): FileMap {
  const files: FileMap = { ...originals };
  for (const [path, text] of Object.entries(edits)) if (path in originals) files[path] = text;
  return files;
}
