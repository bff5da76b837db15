// Stage 13: an RPC that arrives over HTTP/1.1 (the Connect protocol or gRPC-Web), handed to
// its handler from Connect's router and its answer written back. This is the part of
// @connectrpc/connect-node a server needs for HTTP/1.1, kept apart from it because that package
// loads node:http2 as it loads (rpc-server.ts says why that matters). Unary calls only, which is
// all the stage's contracts have: the request body is read as it comes, the answer written whole.
// How a request is handed to a handler (rpcRequest) is the same over HTTP/2 (rpc-http2.ts).

import type http from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { Code, ConnectError } from '@connectrpc/connect';
import type { UniversalHandler, UniversalServerRequest } from '@connectrpc/connect/protocol';

// The request as Connect's handlers take it, over either HTTP version. Its URL is the one the
// stage's parser read from the target (rpc-server.ts): the Host header or :authority the client
// sent is no part of it, so nothing the client names is parsed as a host.
export function rpcRequest(url: URL, req: http.IncomingMessage | Http2ServerRequest, res: http.ServerResponse | Http2ServerResponse): UniversalServerRequest {
  // the caller went away: the handler's signal says so, and its context's deadline with it
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  const header = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':')) continue; // HTTP/2's pseudo-headers (:path, :authority) are not metadata
    for (const one of [value ?? []].flat()) header.append(name, one);
  }
  return { httpVersion: req.httpVersion, method: req.method ?? '', url: url.toString(), header, body: req.iterator({ destroyOnReturn: false }), signal: gone.signal };
}

export async function answerOverHttp1(handler: UniversalHandler, url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  try {
    const answer = await handler(rpcRequest(url, req, res));
    const chunks: Uint8Array[] = [];
    for await (const chunk of answer.body ?? []) chunks.push(chunk);
    res.writeHead(answer.status, Object.fromEntries(answer.header ?? []));
    res.end(Buffer.concat(chunks));
  } catch (error) {
    // an error inside the handler is already an answer (a status code); this is a failure of
    // the transport itself, so the connection says so rather than a half-written answer
    if (ConnectError.from(error).code !== Code.Aborted) console.error(`RPC ${handler.method.name} of ${handler.service.typeName} failed`, error);
    res.destroy();
  }
}
