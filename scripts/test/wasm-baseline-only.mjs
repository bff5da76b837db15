// Loaded into every Node process of the test suites (`npm test` puts it in NODE_OPTIONS as
// --import, so the stages' own processes get it from their supervisor's environment too).
//
// PGlite is Postgres compiled to a large WebAssembly module. V8 compiles it at once with its
// baseline compiler (Liftoff), then compiles the functions that run often again with its
// optimising one (TurboFan) on background threads. A test process or a test's database lives
// for seconds: it pays for that second compile and hardly uses the result. Baseline only
// changes how fast the same code runs, never what it does. NODE_OPTIONS cannot carry V8 flags,
// hence this module; it must run before any WebAssembly module is compiled, which --import
// ensures. Readers' runs (`npm start`, the workbench) do not get it.
//
// `--liftoff-only` on the command line does this, but set at run time it changes nothing (V8
// derives the flags it implies only at start-up), so the two it implies are set here. Measured:
// a PGlite initdb, 4.1 s of CPU without them, 3.0 s with them (as with --liftoff-only); stage
// 09's contract suite, its database process 8.2 s of CPU without them, 6.4 s with them.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-wasm-tier-up');
setFlagsFromString('--no-wasm-dynamic-tiering');
