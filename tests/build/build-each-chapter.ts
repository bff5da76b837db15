// Builds one copy of the site once per chapter it is sent, all in this one process, so Astro and
// Vite load once instead of once per build. Run by broken-content.test.ts with the copy's folder
// as its argument and the chapters as a JSON list ([{ file, text }]) in the second argument.
// Each build runs through Astro's own build(), the function `astro build` calls; its outcome goes
// back to the parent over the IPC channel: { index, failed, message }.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'astro';

interface Chapter {
  file: string;
  text: string;
}

const [siteDir, chaptersJson] = process.argv.slice(2);
if (!siteDir || !chaptersJson) throw new Error('usage: build-each-chapter.ts <site copy> <chapters as JSON>');
const chapters: Chapter[] = JSON.parse(chaptersJson);

for (const [index, { file, text }] of chapters.entries()) {
  // Only the chapter under test may differ from the real site, so the previous one goes first.
  for (const other of chapters) rmSync(join(siteDir, 'chapters', other.file), { force: true });
  writeFileSync(join(siteDir, 'chapters', file), text);
  let outcome: { failed: boolean; message: string };
  try {
    await build({ root: siteDir, logLevel: 'silent' });
    outcome = { failed: false, message: '' };
  } catch (error) {
    outcome = { failed: true, message: error instanceof Error ? error.message : String(error) };
  }
  await new Promise<void>((sent) => process.send!({ index, ...outcome }, () => sent()));
}
// Astro may leave a timer or a watcher behind; every build has reported, so nothing is cut short.
process.exit(0);
