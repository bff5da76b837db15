// Loaded with --import (NODE_OPTIONS) before anything else: a runtime without node:http2, as
// WebContainer may be. Every import or require of node:http2 (or http2) fails, as it would
// where the module does not exist, so whatever loads it eagerly fails at once.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'node:http2' || specifier === 'http2') {
      throw Object.assign(new Error(`Cannot find module '${specifier}' (test/no-http2.ts: this runtime has no HTTP/2)`), { code: 'ERR_UNKNOWN_BUILTIN_MODULE' });
    }
    return nextResolve(specifier, context);
  },
});
