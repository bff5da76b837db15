// Loaded with `node --import` into every process scripts/database-memory.ts starts: reports
// the process's own RSS to its parent 20 times a second, so the parent can add them up at
// any moment without reading /proc (which WebContainer and macOS do not have).
if (process.send) {
  const report = () => process.send?.({ rss: process.memoryUsage.rss() });
  report();
  setInterval(report, 50).unref();
}
