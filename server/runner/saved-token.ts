// `npm start` keeps its runner token in a file only this user can read, so the address it
// prints, and the cookie a browser got from it, stay valid across restarts (as Jupyter keeps
// its cookie secret): a reader's open tabs and bookmarks keep the Local runtime.
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { newToken } from './security.ts';

export function savedToken(file: string): string {
  try {
    const text = readFileSync(file, 'utf8').trim();
    // A file others could read (or write) is no secret any more: make a new one.
    const private_ = process.platform === 'win32' || (statSync(file).mode & 0o077) === 0;
    if (private_ && /^[0-9a-f]{64}$/.test(text)) return text;
  } catch {
    // none yet
  }
  const token = newToken();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, token + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
