// Plain CommonJS on purpose: this must run, and explain itself, on a Node too old for the rest.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `This project needs Node 22.18 or newer (it runs TypeScript directly); you have ${process.versions.node}.\n` +
      'Install a current Node from https://nodejs.org, or fetch one from the npm registry:\n' +
      '  mkdir -p ~/node24 && echo {} > ~/node24/package.json && npm install --prefix ~/node24 node@24\n' +
      '  export PATH="$HOME/node24/node_modules/node/bin:$PATH"',
  );
  process.exit(1);
}
