// Stage 13: an RPC that arrives over HTTP/1.1 (the Connect protocol or gRPC-Web), handed to
// its handler from Connect's router and its answer written back. This is the part of
// @connectrpc/connect-node a server needs for HTTP/1.1, kept apart from it because that package
// loads node:http2 as it loads (rpc-server.ts says why that matters). Unary calls only, which is
// all the stage's contracts have: the request body is read as it comes, the answer written whole.

import type http from 'node:http';
import { Code, ConnectError } from '@connectrpc/connect';
import type { UniversalHandler } from '@connectrpc/connect/protocol';

export async function answerOverHttp1(handler: UniversalHandler, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  // the caller went away: the handler's signal says so, and its context's deadline with it
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  const header = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of [value ?? []].flat()) header.append(name, one);
  }
  try {
    const answer = await handler({
      httpVersion: req.httpVersion,
      method: req.method ?? '',
      url: new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`).toString(),
      header,
      body: req.iterator({ destroyOnReturn: false }),
      signal: gone.signal,
    });
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
