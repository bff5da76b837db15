// Checks the chapter's exercise: a broken DATABASE_URL is refused at once, with a message
// that names the setting. In a container that is the difference between a pod restarting
// in a loop with "DATABASE_URL must be a postgres:// URL" in its log, and one that waits
// 15 s per attempt and then says "no database at ..." (or worse, tries the wrong host).
//
// Run it with `npm run check:exercise`. It hands connectDatabase (src/adapters/database.ts)
// a few broken URLs and one that is fine but leads nowhere; no database is needed.

import { connectDatabase } from '../src/adapters/database.ts';

const broken = ['mysql://shop:secret@127.0.0.1:3306/shop', 'postgres//shop:secret@127.0.0.1:5432/shop', 'http://127.0.0.1:5432/shop', ''];
const problems: string[] = [];

// What happens to the first query, and how soon: 'refused: ...' or 'failed later: ...'.
async function firstQuery(url: string, waitMs: number): Promise<string> {
  try {
    const db = connectDatabase({ url, name: 'exercise', waitMs, log: () => {} });
    try {
      await db.query('SELECT 1');
      return 'answered';
    } catch (error) {
      return `failed later: ${(error as Error).message}`;
    } finally {
      await db.close();
    }
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

for (const url of broken) {
  const seen = await firstQuery(url, 300);
  const what = `DATABASE_URL=${JSON.stringify(url)}`;
  if (!seen.startsWith('refused: ')) problems.push(`${what}: connectDatabase should refuse it at once, but the first query ${seen.split('\n')[0]}`);
  else if (!/DATABASE_URL/.test(seen)) problems.push(`${what}: refused, but the message does not name DATABASE_URL: ${seen}`);
  if (/secret/.test(seen)) problems.push(`${what}: the message shows the password; print the URL with redacted()`);
}
// A well-formed URL is not refused: nobody answers there, which is another problem.
const fine = await firstQuery('postgres://shop:secret@127.0.0.1:1/shop', 300);
if (!fine.startsWith('failed later: ')) problems.push(`DATABASE_URL="postgres://shop:secret@127.0.0.1:1/shop" is a fine URL (with nobody there), yet: ${fine}`);

if (problems.length > 0) {
  console.error('✘ exercise not solved yet:');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log('✔ exercise solved: a broken DATABASE_URL is refused at once, by name, without its password.');
