// The way out shown under every "the in-browser runtime cannot run here" error. It must point
// somewhere real: the workbench's Download button always exists (its zip is the stage with the
// reader's edits, runnable with Node), and the project's repository only when one is configured
// (package.json `repository`, or PUBLIC_REPOSITORY_URL at build time; see astro.config.mjs).
// No address is ever guessed.

export function localRemedy(repositoryUrl?: string | undefined): string {
  const download =
    'Or run this stage on your machine: press Download in the workbench for a zip of its files with your edits, then run `npm install` and `npm start` in the unzipped folder (Node 22.18 or newer).';
  const url = repositoryUrl?.trim();
  if (!url) return download;
  return `${download} For every chapter with the Local runtime, get the whole project from ${url} and run \`npm start\` in it.`;
}

/** What the remedy of every "WebContainer cannot run here" error ends with. (`?.`: plain Node, which runs the adapter in the container double, has no import.meta.env.) */
export const LOCAL_REMEDY = localRemedy(import.meta.env?.PUBLIC_REPOSITORY_URL as string | undefined);
