import { describe, expect, it } from 'vitest';
import { FolderRedactor } from './redact.ts';

const HOME = '/home/reader';
const WORKSPACE = '/home/reader/.cache/runs/ws-1';
const DATA = '/tmp/data-7';
const folders = (): [string, string][] => [[DATA, '$DATA_DIR'], [WORKSPACE, '.'], [HOME, '~']];

// Feeds the chunks through one redactor and answers everything it let out, end included.
function through(chunks: string[]): string {
  const redactor = new FolderRedactor(folders());
  return chunks.map((chunk) => redactor.push(chunk)).join('') + redactor.end();
}

describe('FolderRedactor', () => {
  const text = `npm error A log of this run is in ${HOME}/.npm/_logs/x.log\nat ${WORKSPACE}/src/main.ts:3\nDATA_DIR=${DATA}/pg\n`;

  it('names no machine folder however the output is cut into chunks', () => {
    for (let cut = 1; cut < text.length; cut++) {
      const out = through([text.slice(0, cut), text.slice(cut)]);
      expect(out, `cut at ${cut}`).not.toContain('/home/reader');
      expect(out, `cut at ${cut}`).not.toContain(DATA);
      expect(out).toBe(through([text]));
    }
  });

  it('shows a workspace path as ./ even when the home folder inside it arrives first', () => {
    expect(through([`at ${HOME}`, `/.cache/runs/ws-1/src/main.ts\n`])).toBe('at ./src/main.ts\n');
  });

  it('survives chunks of one character', () => {
    expect(through([...text])).toBe(through([text]));
    expect(through([...text])).toContain('~/.npm/_logs/x.log');
  });

  it('holds back only what could still become a folder, and lets the rest out at once', () => {
    const redactor = new FolderRedactor(folders());
    expect(redactor.push('ready on port 3000\n')).toBe('ready on port 3000\n');
    expect(redactor.push('cache in /home/rea')).toBe('cache in ');
    expect(redactor.push('lm/x\n')).toBe('/home/realm/x\n');
    expect(redactor.push('end: /ho')).toBe('end: ');
    expect(redactor.end()).toBe('/ho');
  });
});
