// The WebContainer adapter's entry: load.ts reaches it by `import('./webcontainer.ts')`, so a
// chapter page ships none of it before the workbench asks. The adapter itself is split into
// small parts under ./webcontainer/ (index.ts lists them).
export * from './webcontainer/index.ts';
