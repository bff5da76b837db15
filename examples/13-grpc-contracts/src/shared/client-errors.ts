// Answers for the requests Node's own HTTP parser refuses before any handler runs: a request
// line or header it cannot read, a request line and headers over its 16 KiB limit, a request
// that never finished arriving, and CONNECT (which asks for a tunnel, not a resource). Without
// these listeners Node answers a bare 400 or 431 with no body, or just closes the connection;
// with them every answer carries the contract's JSON error. Nothing here may throw: the socket
// may already be closed, and a listener that throws would end the process.
import type http from 'node:http';
import type { Duplex } from 'node:stream';

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function answerAndClose(socket: Duplex, status: number, message: string): void {
  try {
    if (!socket.writable) return void socket.destroy();
    // a bad request pipelined after a good one: the good one's answer goes first, then ours
    // (Node keeps the response in flight on a socket as _httpMessage until it has been sent)
    const inFlight = (socket as Duplex & { _httpMessage?: http.ServerResponse | null })._httpMessage;
    if (inFlight && !inFlight.writableFinished) {
      // the request being answered did not arrive whole (its client stopped mid-body): the
      // error is its own, so end the connection, which ends that request's body with an error;
      // waiting for its answer would wait for a body that never comes
      if (!inFlight.req.complete) return void socket.destroy();
      return void inFlight.once('close', () => answerAndClose(socket, status, message));
    }
    const body = JSON.stringify({ error: { code: 'invalid_request', message } });
    const head = [`HTTP/1.1 ${status} ${REASONS[status]}`, 'Content-Type: application/json; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  } catch {
    socket.destroy();
  }
}

function clientErrorAnswer(error: Error & { code?: string }): [number, string] {
  if (error.code === 'HPE_HEADER_OVERFLOW') return [431, 'the request line and headers are larger than 16 KiB'];
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'the request did not arrive in time'];
  return [400, 'the request line or a header could not be read as HTTP/1.1'];
}

/** Gives a server JSON answers for what its parser refuses, and for CONNECT; returns the server. */
export function answerClientErrors<S extends http.Server>(server: S): S {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    // a connection the client reset has no one left to answer
    if (error.code === 'ECONNRESET') return void socket.destroy();
    const [status, message] = clientErrorAnswer(error);
    answerAndClose(socket, status, message);
  });
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    answerAndClose(socket, 400, 'CONNECT is not served here: a request target must be a path');
  });
  return server;
}
