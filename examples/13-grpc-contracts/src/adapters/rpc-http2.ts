// Stage 13: gRPC over HTTP/2 (cleartext, h2c), the RPCs' own protocol. node:http2 and
// @connectrpc/connect-node (which loads node:http2 as it loads) are imported only when this
// server is made, so a runtime without them fails here, where rpc-server.ts goes on without it.
// The request is read as over HTTP/1.1 (rpc-http1.ts): the stage's parser names the RPC and
// makes the URL, never the :authority the client sent. connect-node writes the answer, with the
// trailers that gRPC puts its status in.

import type { Http2Server } from 'node:http2';
import { Code, ConnectError } from '@connectrpc/connect';
import type { ConnectRouterOptions } from '@connectrpc/connect';
import type { UniversalHandler } from '@connectrpc/connect/protocol';
import { rpcRequest } from './rpc-http1.ts';

// The RPC a request target names and the URL its handler sees (rpc-server.ts makes it).
export type RpcOf = (target: string | undefined) => { handler: UniversalHandler; url: URL } | undefined;

export async function http2RpcServer(rpcsOf: (options: ConnectRouterOptions) => RpcOf): Promise<Http2Server> {
  const [http2, { compressionBrotli, compressionGzip, universalResponseToNodeResponse }] = await Promise.all([import('node:http2'), import('@connectrpc/connect-node')]);
  // compressed messages too, as connect-node's own adapter accepts them over HTTP/2
  const rpcOf = rpcsOf({ acceptCompression: [compressionGzip, compressionBrotli] });
  return http2.createServer((req, res) => {
    const rpc = rpcOf(req.url);
    // no RPC by this path (or no path the parser can read): a 404, which gRPC reads as UNIMPLEMENTED
    if (!rpc) return void res.writeHead(404).end();
    Promise.resolve()
      .then(() => rpc.handler(rpcRequest(rpc.url, req, res)))
      .then((answer) => universalResponseToNodeResponse(answer, res))
      .catch((error: unknown) => {
        // a failure of this one stream, never of the process: the stream is reset, the rest go on
        if (ConnectError.from(error).code !== Code.Aborted) console.error(`RPC ${rpc.handler.method.name} of ${rpc.handler.service.typeName} failed`, error);
        res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      });
  });
}
