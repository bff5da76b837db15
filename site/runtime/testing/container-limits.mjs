// Preloaded (NODE_OPTIONS --import) into every process the container double starts
// (./container-double.ts), so the stages meet WebContainer's limits at their worst where
// nothing public says what they are:
// - process.kill() reaches no other process: a stage may end itself, not signal a pid it
//   learnt somehow. (A parent's child.kill() on a child it spawned is left working: Node's
//   child_process is how a supervisor starts its services at all.)
// - process.ppid never changes: no container is known to re-parent an orphan the way a Linux
//   init does, so "my parent changed" cannot tell a service that its supervisor is gone.
// - node:http2 does not exist: nothing public says WebContainer has it, so every import or
//   require of it fails as a missing built-in would. A stage must start and pass its contract
//   without it (stage 13's RPCs fall back to the Connect protocol over HTTP/1.1).
// JavaScript on purpose: it runs before anything could strip types.
import { registerHooks } from 'node:module';

const ownPid = process.pid;
const kill = process.kill.bind(process);
process.kill = (pid, signal) => {
  if (Number(pid) === ownPid || Number(pid) === 0) return kill(ownPid, signal);
  const error = new Error(`kill ${pid}: no such process (the container double lets a process signal only itself)`);
  error.code = 'ESRCH';
  error.syscall = 'kill';
  throw error;
};
const parent = process.ppid;
Object.defineProperty(process, 'ppid', { get: () => parent, configurable: true });

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'node:http2' || specifier === 'http2') {
      const error = new Error(`Cannot find module '${specifier}' (the container double has no HTTP/2, as WebContainer may not)`);
      error.code = 'ERR_UNKNOWN_BUILTIN_MODULE';
      throw error;
    }
    return nextResolve(specifier, context);
  },
});
