// Stage 13: a service's RPCs, on the port its HTTP API already has. One router (Connect's)
// answers all three protocols: gRPC over HTTP/2 (cleartext, h2c), and gRPC-Web and the Connect
// protocol over HTTP/1.1. A new connection is told apart by its first bytes: HTTP/2's preface
// starts with "PRI * HTTP/2.0", and no HTTP/1.1 request does.
// node:http2 is loaded only to serve HTTP/2 (rpc-http2.ts): @connectrpc/connect-node imports it
// as it loads, so a runtime without it (WebContainer's support is unknown) would fail before
// serving anything. HTTP/1.1 goes straight to the router's handlers (rpc-http1.ts), which is
// what connect-node does inside; HTTP/2 goes through rpc-http2.ts, which imports it when needed.
// Either way the stage's one parser of request targets names the RPC and makes the URL its
// handler sees, and a message is capped at the JSON API's body limit.

import type http from 'node:http';
import type { Socket } from 'node:net';
import { ConnectError, createConnectRouter } from '@connectrpc/connect';
import type { ConnectRouter, ConnectRouterOptions, Interceptor } from '@connectrpc/connect';
import { currentKit } from '../observability/service-kit.ts';
import { contextFrom, SpanKind } from '../observability/tracing.ts';
import { parseTarget } from '../shared/request-target.ts';
import { MAX_BODY_BYTES } from './http.ts';
import { answerOverHttp1 } from './rpc-http1.ts';
import { http2RpcServer } from './rpc-http2.ts';
import type { RpcOf } from './rpc-http2.ts';

// #region serve-rpc
export function serveRpc(server: http.Server, routes: (router: ConnectRouter) => void): void {
  const rpcOverHttp1 = rpcsOf(routes);

  // HTTP/1.1: a request to an RPC's path goes to its handler, any other to the JSON API as before
  // (which answers a target the parser refuses with the contract's 400).
  const api = server.listeners('request') as http.RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const rpc = rpcOverHttp1(req.url);
    if (rpc) return void answerOverHttp1(rpc.handler, rpc.url, req, res);
    for (const listener of api) listener.call(server, req, res);
  });

  // HTTP/2 without TLS, when the runtime has node:http2; without it, RPCs are still served
  // over HTTP/1.1 above, and callers choose the Connect protocol (rpc-client.ts).
  void http2RpcServer((options) => rpcsOf(routes, options)).then(
    (h2) => {
      // server.closeAllConnections() knows only its HTTP/1.1 connections: it ends these too
      const sessions = new Set<import('node:http2').Http2Session>();
      h2.on('session', (session) => {
        sessions.add(session);
        session.once('close', () => sessions.delete(session));
      });
      const closeHttp1 = server.closeAllConnections.bind(server);
      server.closeAllConnections = () => {
        closeHttp1();
        for (const session of sessions) session.destroy();
      };
      const http1 = server.listeners('connection') as ((socket: Socket) => void)[];
      server.removeAllListeners('connection');
      server.on('connection', (socket: Socket) => {
        socket.once('data', (first: Buffer) => {
          socket.pause();
          socket.unshift(first);
          if (first.subarray(0, 3).toString('latin1') === 'PRI') return void h2.emit('connection', socket);
          for (const listener of http1) listener.call(server, socket);
          socket.resume();
        });
      });
    },
    (error: Error) => console.log(`node:http2 is missing here (${error.message.split('\n')[0]}): RPCs are served over HTTP/1.1 only (Connect and gRPC-Web)`),
  );
}
// #endregion serve-rpc

// Which RPC a request target names, and the URL its handler sees: both read by the stage's one
// parser (request-target.ts), so an absolute-form target is routed by its path alone, a target
// it refuses names no RPC, and the Host or :authority the client sent is never parsed.
// A message over MAX_BODY_BYTES is refused before it is read whole: resource_exhausted, as
// RESOURCE_EXHAUSTED over gRPC.
function rpcsOf(routes: (router: ConnectRouter) => void, options: ConnectRouterOptions = {}): RpcOf {
  const router = createConnectRouter({ ...options, interceptors: [serverSpan], readMaxBytes: MAX_BODY_BYTES });
  routes(router);
  const handlers = new Map(router.handlers.map((handler) => [handler.requestPath, handler]));
  return (raw) => {
    const target = parseTarget(raw);
    if ('invalid' in target) return undefined;
    const handler = handlers.get(target.url.pathname);
    return handler && { handler, url: target.url };
  };
}

// #region server-span
// Each RPC in a server span, the child of the caller's client span: its traceparent came as
// metadata (a request header under every protocol), so the trace goes on across the hop.
const serverSpan: Interceptor = (next) => async (req) => {
  const kit = currentKit();
  if (!kit) return next(req);
  const carrier = Object.fromEntries(req.header.entries());
  const attributes = { 'rpc.system': 'grpc', 'rpc.service': req.service.typeName, 'rpc.method': req.method.name, 'rpc.protocol': req.header.get('content-type') ?? '' };
  return kit.tracing.inSpan(`RPC ${req.service.typeName}/${req.method.name}`, { kind: SpanKind.SERVER, parent: contextFrom(carrier), attributes }, async (span) => {
    try {
      return await next(req);
    } catch (error) {
      if (error instanceof ConnectError) span.setAttribute('rpc.grpc.status_code', error.code);
      throw error;
    }
  });
};
// #endregion server-span
