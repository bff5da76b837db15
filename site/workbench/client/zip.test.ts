import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, zipFiles } from './zip.ts';

/** Reads a zip's central directory back, the way an unzip tool does. */
function readZip(zip: Uint8Array): Record<string, string> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    const localName = view.getUint16(local + 26, true);
    const extra = view.getUint16(local + 28, true);
    const raw = zip.subarray(local + 30 + localName + extra, local + 30 + localName + extra + size);
    const data = method === 0 ? raw : inflateRawSync(raw);
    expect(crc32(data)).toBe(crc);
    files[name] = new TextDecoder().decode(data);
    at += 46 + nameLength;
  }
  return files;
}

describe('zipFiles', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('writes an archive with every file under the stage folder, UTF-8 intact', () => {
    const files = { 'src/shop.ts': 'console.log("héllo ✓");\n', 'package.json': '{}\n', 'empty.txt': '' };
    const zip = zipFiles(files, '01-single-file');
    expect(readZip(zip)).toEqual({
      '01-single-file/empty.txt': '',
      '01-single-file/package.json': '{}\n',
      '01-single-file/src/shop.ts': 'console.log("héllo ✓");\n',
    });
  });

  it('is accepted by unzip, when the machine has it', () => {
    let hasUnzip = true;
    try {
      execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    } catch {
      hasUnzip = false;
    }
    if (!hasUnzip) return;
    const dir = mkdtempSync(join(tmpdir(), 'wb-zip-'));
    const path = join(dir, 'stage.zip');
    writeFileSync(path, zipFiles({ 'src/a.ts': 'export const a = 1;\n', 'b.md': '# b\n' }, 'stage'));
    const listing = execFileSync('unzip', ['-t', path], { encoding: 'utf8' });
    expect(listing).toMatch(/No errors detected/);
  });
});
