// `npm run new:chapter -- <slug>`: the next stage, copied from the last one, and a draft
// chapter that already has every part a chapter needs. Prints what to do next.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface Scaffold {
  stage: string;
  chapterFile: string;
  copiedFrom: string;
}

const skipped = new Set(['node_modules', '.data', 'solution']);

/**
 * A stage with `.proto` contracts checks them against the contract the stage before it shipped:
 * `buf breaking` against `proto-previous/`, and a client generated from that into
 * `test/gen-previous/` calls today's server. For the new stage, "before" is the copied stage's
 * own `proto/` and `src/gen/`, not what the copied stage was checked against.
 */
function carryContracts(from: string, to: string): void {
  const previous = join(to, 'proto-previous');
  if (!existsSync(join(from, 'proto')) || !existsSync(previous)) return;
  // buf.yaml and buf.gen.yaml stay: they say what the folder is and where its code goes
  for (const name of readdirSync(previous)) if (!name.startsWith('buf.')) rmSync(join(previous, name), { recursive: true });
  for (const name of readdirSync(join(from, 'proto'))) if (!name.startsWith('buf.')) cpSync(join(from, 'proto', name), join(previous, name), { recursive: true });
  const oldClient = join(to, 'test', 'gen-previous');
  if (existsSync(oldClient) && existsSync(join(from, 'src', 'gen'))) {
    rmSync(oldClient, { recursive: true });
    cpSync(join(from, 'src', 'gen'), oldClient, { recursive: true });
  }
}

export function scaffoldChapter(root: string, slug: string): Scaffold {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) throw new Error(`"${slug}" is not a slug: use lower-case words joined by "-", e.g. caching-reads`);
  const stages = readdirSync(join(root, 'examples')).filter((n) => /^\d\d-/.test(n)).sort();
  const previous = stages.at(-1);
  if (!previous) throw new Error('no stage to copy from under examples/');
  const number = String(Number(previous.slice(0, 2)) + 1).padStart(2, '0');
  const stage = `${number}-${slug}`;
  const target = join(root, 'examples', stage);
  const chapterFile = join(root, 'chapters', `${stage}.mdx`);
  if (existsSync(target) || existsSync(chapterFile)) throw new Error(`${stage} exists already`);

  cpSync(join(root, 'examples', previous), target, { recursive: true, filter: (src) => !skipped.has(basename(src)) });
  const pkgPath = join(target, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { name: string };
  pkg.name = `@shop/${stage}`;
  writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
  carryContracts(join(root, 'examples', previous), target);
  // The copied check tests the previous exercise; a new one must be written, so it fails until then.
  mkdirSync(join(target, 'exercise', 'solution'), { recursive: true });
  writeFileSync(
    join(target, 'exercise', 'check.ts'),
    `// Checks this chapter's exercise: describe here, in one sentence, what the reader must achieve.\n//\n// Run it with \`npm run check:exercise\`.\n\nconsole.error('✘ This exercise has no check yet: write exercise/check.ts.');\nprocess.exit(1);\n`,
  );

  const title = slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  writeFileSync(
    chapterFile,
    `---
title: ${title}
summary: One or two sentences that say what this stage changes and why it matters.
stage: ${stage}
goals:
  - The one thing the reader will be able to do afterwards
minutes: 20
draft: true
# Before publishing: the patterns it uses, by id from site/lib/glossary.ts (add a term there if
# it is new), and how the same idea looks elsewhere; see CONTRIBUTING.md.
# patterns:
#   - saga
#   - { id: lease, note: "how this chapter uses it, in a few words" }
# elsewhere:
#   rust: What the stage's key move looks like in Rust (Axum, SQLx, Tonic).
#   messaging: The same with Kafka or NATS instead of MQTT.
#   grpc: The same with gRPC instead of HTTP and JSON.
---

The lesson in a paragraph: what hurts in stage ${previous.slice(0, 2)}, and what this stage changes.

## The code that changed

Quote the code, never paste it: mark a region in the stage with \`// #region name\` …
\`// #endregion name\`, then:

{/* <Excerpt stage="${stage}" file="src/main.ts" region="name" /> */}

## Run it

\`\`\`sh
cd examples/${stage}
npm start
\`\`\`

## Experiment

A change the reader makes on purpose, and what they will see.

## Exercise

What to do, and how to check it: \`npm run check:exercise\`.

{/* <Solution stage="${stage}" /> */}

## What it cost, what it bought

<div class="callout">

Numbers the reader can reproduce, with the command that produces them.

</div>
`,
  );
  return { stage, chapterFile, copiedFrom: previous };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const slug = process.argv[2];
  if (!slug) {
    console.error('Usage: npm run new:chapter -- <slug>   (for example: npm run new:chapter -- caching-reads)');
    process.exit(1);
  }
  try {
    const made = scaffoldChapter(new URL('..', import.meta.url).pathname, slug);
    console.log(`Created examples/${made.stage}/ (a copy of ${made.copiedFrom}) and chapters/${made.stage}.mdx (a draft).

Next:
  1. npm install                      link the new workspace; add the stage to site/lib/curriculum.ts (the home page's path)
  2. cd examples/${made.stage} && npm test   it passes the contract suite as copied
  3. make the stage's one change; mark regions; write exercise/check.ts and exercise/solution/
  4. write the chapter; remove "draft: true" when it is ready
  5. npm test                         everything, before you open the pull request`);
  } catch (error) {
    console.error(`✘ ${(error as Error).message}`);
    process.exit(1);
  }
}
