// Stage 13: how the orchestrator calls another service's RPCs. gRPC over HTTP/2 where the
// runtime has node:http2, the Connect protocol over HTTP/1.1 where it does not (or where
// RPC_PROTOCOL=connect says so): the same generated client, the same handler on the other
// side. Around each call: a deadline, a client span whose context travels as metadata, and
// stage 7's retry policy, with gRPC's status codes mapped onto its kinds of failure.

import { Code, ConnectError, createClient } from '@connectrpc/connect';
import type { CallOptions, Client, Transport } from '@connectrpc/connect';
import type { DescService } from '@bufbuild/protobuf';
import http from 'node:http';
import { validateReadWriteMaxBytes } from '@connectrpc/connect/protocol';
import type { UniversalClientFn } from '@connectrpc/connect/protocol';
import { createTransport as createConnectProtocolTransport } from '@connectrpc/connect/protocol-connect';
import { clientSpan } from '../observability/service-kit.ts';
import { backoffDelay, isRetryable } from './resilience.ts';
import type { Failure } from './resilience.ts';

// #region transport
export type RpcProtocol = 'grpc' | 'connect';

// The probe: node:http2 present and able to open a session. RPC_PROTOCOL forces either.
export async function chooseProtocol(env: Record<string, string | undefined> = process.env): Promise<RpcProtocol> {
  if (env.RPC_PROTOCOL === 'grpc' || env.RPC_PROTOCOL === 'connect') return env.RPC_PROTOCOL;
  try {
    const http2 = await import('node:http2');
    return typeof http2.connect === 'function' ? 'grpc' : 'connect';
  } catch {
    return 'connect';
  }
}

export function rpcTransport(baseUrl: string, protocol: RpcProtocol): Transport {
  return protocol === 'grpc' ? grpcTransport(baseUrl) : connectTransport(baseUrl);
}

// The Connect protocol over HTTP/1.1, binary, with node:http (as the JSON client's calls go):
// made from @connectrpc/connect's own parts, because @connectrpc/connect-node loads node:http2
// as it loads, and this is the transport for a runtime that may not have it.
function connectTransport(baseUrl: string): Transport {
  return createConnectProtocolTransport({
    baseUrl,
    httpClient: overHttp1,
    useBinaryFormat: true,
    interceptors: [],
    acceptCompression: [],
    sendCompression: null,
    ...validateReadWriteMaxBytes(undefined, undefined, undefined),
  });
}

// A unary request's body is one message: sent whole, with its length. A connection refused or
// cut is UNAVAILABLE, as gRPC's own clients call it (stage 7's policy tries it again); a call
// ended by its deadline or its caller fails with the signal's reason (DEADLINE_EXCEEDED).
const overHttp1: UniversalClientFn = async (request) => {
  const chunks: Uint8Array[] = [];
  for await (const chunk of request.body ?? []) chunks.push(chunk);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(request.url, { method: request.method, headers: Object.fromEntries(request.header), ...(request.signal ? { signal: request.signal } : {}) }, (answer) => {
      const header = new Headers();
      for (const [name, value] of Object.entries(answer.headers)) for (const one of [value ?? []].flat()) header.append(name, one);
      resolve({ status: answer.statusCode ?? 0, header, body: answer, trailer: new Headers() });
    });
    outgoing.once('error', (error) => reject(request.signal?.aborted ? request.signal.reason : new ConnectError(`${request.url}: ${error.message}`, Code.Unavailable)));
    outgoing.end(Buffer.concat(chunks));
  });
};

// gRPC over HTTP/2: @connectrpc/connect-node, and node:http2 with it, loaded at the first call.
function grpcTransport(baseUrl: string): Transport {
  let loaded: Promise<Transport> | undefined;
  const transport = () =>
    (loaded ??= import('@connectrpc/connect-node').then(
      ({ createGrpcTransport }) => createGrpcTransport({ baseUrl }),
      (error: Error) => {
        throw new ConnectError(`gRPC needs node:http2, which this runtime lacks (${error.message.split('\n')[0]}): leave RPC_PROTOCOL unset, or set it to connect`, Code.Unimplemented);
      },
    ));
  return {
    unary: (method, signal, timeoutMs, header, input, contextValues) => transport().then((t) => t.unary(method, signal, timeoutMs, header, input, contextValues)),
    stream: (method, signal, timeoutMs, header, input, contextValues) => transport().then((t) => t.stream(method, signal, timeoutMs, header, input, contextValues)),
  };
}
// #endregion transport

// #region status-policy
// gRPC's status codes as stage 7's failures: UNAVAILABLE is no connection (try again, with
// backoff), DEADLINE_EXCEEDED a timeout, INVALID_ARGUMENT and FAILED_PRECONDITION answers
// about the request itself (never sent again).
export function failureOf(error: unknown): Failure {
  const code = error instanceof ConnectError ? error.code : Code.Unknown;
  if (code === Code.Unavailable) return { kind: 'connection' };
  if (code === Code.DeadlineExceeded) return { kind: 'timeout' };
  const status: Partial<Record<Code, number>> = {
    [Code.InvalidArgument]: 400,
    [Code.FailedPrecondition]: 422,
    [Code.NotFound]: 404,
    [Code.AlreadyExists]: 409,
    [Code.PermissionDenied]: 403,
    [Code.Unauthenticated]: 401,
    [Code.ResourceExhausted]: 429,
  };
  return { kind: 'status', status: status[code] ?? 500 };
}
// #endregion status-policy

export type RpcPolicy = { timeoutMs: number; attempts: number; baseMs?: number; capMs?: number };

// #region call
// One RPC: each attempt has `timeoutMs`, or less when the caller's `deadline` (epoch ms) is
// nearer: min(per-call timeout, time left), sent as grpc-timeout, so the server knows it too.
// With no time left the call is not sent at all: DEADLINE_EXCEEDED, a timeout to stage 7's
// policy. Each attempt runs in a client span and carries `metadata` (the idempotency key).
export async function callRpc<T>(
  peer: string,
  method: string,
  policy: RpcPolicy,
  metadata: Record<string, string>,
  work: (options: CallOptions) => Promise<T>,
  deadline?: number,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const timeoutMs = Math.min(policy.timeoutMs, deadline === undefined ? Infinity : Math.floor(deadline - Date.now()));
    if (timeoutMs <= 0) throw new ConnectError(`${method}: the caller's deadline has passed`, Code.DeadlineExceeded);
    try {
      return await clientSpan(peer, 'RPC', method, (headers) => work({ timeoutMs, headers: { ...headers, ...metadata } }));
    } catch (error) {
      if (attempt >= policy.attempts || !isRetryable(failureOf(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, { baseMs: policy.baseMs ?? 100, capMs: policy.capMs ?? 1_000 })));
    }
  }
}
// #endregion call

export function rpcClient<S extends DescService>(service: S, transport: Transport): Client<S> {
  return createClient(service, transport);
}
