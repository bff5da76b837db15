// Plain CommonJS on purpose: this must run, and explain itself, on a Node too old for the rest.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `This project needs Node 22.18 or newer (it runs TypeScript directly); you have ${process.versions.node}.\n` +
      'Install a current Node from https://nodejs.org, or run: npm install --prefix .tools node@24 && export PATH="$PWD/.tools/node_modules/node/bin:$PATH"',
  );
  process.exit(1);
}
