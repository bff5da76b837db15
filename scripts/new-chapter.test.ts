import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scaffoldChapter } from './new-chapter.ts';

const root = new URL('..', import.meta.url).pathname;
let temp = '';
afterEach(() => rmSync(temp, { recursive: true, force: true }));

function copyOfProject(): string {
  temp = mkdtempSync(join(tmpdir(), 'new-chapter-'));
  cpSync(join(root, 'examples', '01-single-file'), join(temp, 'examples', '01-single-file'), { recursive: true, filter: (s) => !s.includes('node_modules') });
  cpSync(join(root, 'chapters'), join(temp, 'chapters'), { recursive: true });
  return temp;
}

describe('new:chapter', () => {
  it('copies the last stage under the next number and writes a draft chapter', () => {
    const project = copyOfProject();
    const made = scaffoldChapter(project, 'caching-reads');
    expect(made).toMatchObject({ stage: '02-caching-reads', copiedFrom: '01-single-file' });
    const pkg = JSON.parse(readFileSync(join(project, 'examples', '02-caching-reads', 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@shop/02-caching-reads');
    expect(existsSync(join(project, 'examples', '02-caching-reads', 'src', 'shop.ts'))).toBe(true);
    expect(existsSync(join(project, 'examples', '02-caching-reads', 'exercise', 'solution', 'src'))).toBe(false);
    const chapter = readFileSync(made.chapterFile, 'utf8');
    expect(chapter).toContain('stage: 02-caching-reads');
    expect(chapter).toContain('draft: true');
    expect(chapter).toContain('## Exercise');
  });

  it('makes the copied stage\'s contracts the new stage\'s previous ones (buf breaking, the old client)', () => {
    temp = mkdtempSync(join(tmpdir(), 'new-chapter-'));
    const last = '13-grpc-contracts';
    cpSync(join(root, 'examples', last), join(temp, 'examples', last), { recursive: true, filter: (s) => !s.includes('node_modules') && !s.includes('.data') });
    cpSync(join(root, 'chapters'), join(temp, 'chapters'), { recursive: true });
    const file = 'shop/payments/v1/payments.proto';
    // the copied stage's previous contract differs from its own (it gained a field)
    expect(readFileSync(join(temp, 'examples', last, 'proto-previous', file), 'utf8')).not.toBe(readFileSync(join(temp, 'examples', last, 'proto', file), 'utf8'));
    const made = scaffoldChapter(temp, 'caching-reads');
    const stage = join(temp, 'examples', made.stage);
    expect(readFileSync(join(stage, 'proto-previous', file), 'utf8')).toBe(readFileSync(join(root, 'examples', last, 'proto', file), 'utf8'));
    expect(readFileSync(join(stage, 'proto-previous', 'buf.gen.yaml'), 'utf8')).toBe(readFileSync(join(root, 'examples', last, 'proto-previous', 'buf.gen.yaml'), 'utf8'));
    const generated = 'shop/payments/v1/payments_pb.js';
    expect(readFileSync(join(stage, 'test', 'gen-previous', generated), 'utf8')).toBe(readFileSync(join(root, 'examples', last, 'src', 'gen', generated), 'utf8'));
  });

  it('refuses a bad slug and an existing stage', () => {
    const project = copyOfProject();
    expect(() => scaffoldChapter(project, 'Bad Slug')).toThrow(/is not a slug/);
    writeFileSync(join(project, 'chapters', '02-taken.mdx'), 'a chapter someone started');
    expect(() => scaffoldChapter(project, 'taken')).toThrow('02-taken exists already');
    expect(existsSync(join(project, 'examples', '02-taken'))).toBe(false);
  });
});
