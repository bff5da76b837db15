// Stage 13: a service's RPCs, on the port its HTTP API already has. One router (Connect's)
// answers all three protocols: gRPC over HTTP/2 (cleartext, h2c), and gRPC-Web and the Connect
// protocol over HTTP/1.1. A new connection is told apart by its first bytes: HTTP/2's preface
// starts with "PRI * HTTP/2.0", and no HTTP/1.1 request does.
// node:http2 is loaded only to serve HTTP/2, and only here: @connectrpc/connect-node imports it
// as it loads, so a runtime without it (WebContainer's support is unknown) would fail before
// serving anything. HTTP/1.1 goes straight to the router's handlers (rpc-http1.ts), which is
// what connect-node does inside; HTTP/2 goes through connect-node, imported when it is needed.

import type http from 'node:http';
import type { Socket } from 'node:net';
import { ConnectError, createConnectRouter } from '@connectrpc/connect';
import type { ConnectRouter, Interceptor } from '@connectrpc/connect';
import { currentKit } from '../observability/service-kit.ts';
import { contextFrom, SpanKind } from '../observability/tracing.ts';
import { answerOverHttp1 } from './rpc-http1.ts';

// #region serve-rpc
export function serveRpc(server: http.Server, routes: (router: ConnectRouter) => void): void {
  const router = createConnectRouter({ interceptors: [serverSpan] });
  routes(router);
  const handlers = new Map(router.handlers.map((handler) => [handler.requestPath, handler]));

  // HTTP/1.1: a request to an RPC's path goes to its handler, any other to the JSON API as before.
  const api = server.listeners('request') as http.RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const handler = handlers.get((req.url ?? '').split('?')[0] ?? '');
    if (handler) return void answerOverHttp1(handler, req, res);
    for (const listener of api) listener.call(server, req, res);
  });

  // HTTP/2 without TLS, when the runtime has node:http2; without it, RPCs are still served
  // over HTTP/1.1 above, and callers choose the Connect protocol (rpc-client.ts).
  void Promise.all([import('node:http2'), import('@connectrpc/connect-node')]).then(
    ([http2, { connectNodeAdapter }]) => {
      const rpc = connectNodeAdapter({ routes, interceptors: [serverSpan] });
      const h2 = http2.createServer(rpc as unknown as Parameters<typeof http2.createServer>[0] & object);
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
