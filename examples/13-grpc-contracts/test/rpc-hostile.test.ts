// The payments service's RPC port, spoken to as an attacker would (raw bytes on a socket, and
// raw HTTP/2 frames): only the gateway calls it in the shop, but it follows the stage's rules.
// - One reading of a request target (src/shared/request-target.ts): it decides which RPC a
//   request names and the URL the handler sees; a target it refuses is the contract's JSON 400,
//   and the Host header or :authority the client sent is never read.
// - Every body capped: an RPC's message over MAX_BODY_BYTES (the JSON API's cap) is refused with
//   the protocol's own answer, resource_exhausted / RESOURCE_EXHAUSTED, before any work.
// After all of it the service still answers a normal Charge over both protocols.

import assert from 'node:assert/strict';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { rawRequest } from '../../contract/src/hostile.ts';
import type { RawAnswer } from '../../contract/src/hostile.ts';
import { jsonServer, MAX_BODY_BYTES } from '../src/adapters/http.ts';
import { serveRpc } from '../src/adapters/rpc-server.ts';
import { ChargeRequestSchema, ChargeResponseSchema, PaymentsService, PaymentStatus } from '../src/gen/shop/payments/v1/payments_pb.js';
import { parseTarget } from '../src/shared/request-target.ts';
import { grpcJsPayments } from './grpc-js-client.ts';
import { startPayments } from './rpc-support.ts';

const CHARGE = '/shop.payments.v1.PaymentsService/Charge';

let service: Awaited<ReturnType<typeof startPayments>>;
let grpcJs: ReturnType<typeof grpcJsPayments>;
before(async () => {
  service = await startPayments();
  grpcJs = grpcJsPayments(service.port);
});
after(async () => {
  grpcJs.close();
  await service.stop();
});

let keys = 0;
// A Connect-protocol Charge (JSON, unary) written byte for byte: the target and Host as given.
function connectCharge(target: string, host: string, body = '{"orderId":"ord_hostile","amountCents":100}', framing: 'length' | 'chunked' = 'length'): Promise<RawAnswer> {
  keys += 1;
  const head = [`POST ${target} HTTP/1.1`, `Host: ${host}`, 'Content-Type: application/json', `Idempotency-Key: hostile-${keys}`, 'Connection: close'];
  const size = Buffer.byteLength(body, 'latin1');
  const sent = framing === 'length' ? `${[...head, `Content-Length: ${size}`].join('\r\n')}\r\n\r\n${body}` : `${[...head, 'Transfer-Encoding: chunked'].join('\r\n')}\r\n\r\n${size.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  return rawRequest('127.0.0.1', service.port, sent);
}
const here = () => `127.0.0.1:${service.port}`;
const jsonOf = (answer: RawAnswer) => JSON.parse(answer.body) as Record<string, unknown>;

// A Charge's JSON body of exactly `bytes` bytes: the order id makes up the size.
function chargeBodyOfSize(bytes: number): string {
  const shell = JSON.stringify({ orderId: '', amountCents: 100 });
  const body = JSON.stringify({ orderId: 'x'.repeat(bytes - shell.length), amountCents: 100 });
  assert.equal(Buffer.byteLength(body), bytes);
  return body;
}

describe('HTTP/1.1 on the RPC port: the target as the stage reads it', () => {
  it('an absolute-form target is answered by its path alone, as the JSON API answers it (RFC 9112)', async () => {
    const answer = await connectCharge(`http://127.0.0.1:1${CHARGE}`, here());
    assert.equal(answer.status, 200, answer.head);
    assert.equal(jsonOf(answer).status, 'PAYMENT_STATUS_CAPTURED');
  });

  it("a target the parser refuses names no RPC: the contract's JSON 400, and nothing charged", async () => {
    const charges = service.payments.charges;
    for (const target of [`//evil.example:99999${CHARGE}`, `/\\evil.example${CHARGE}`, CHARGE.replace(/\/Charge$/, '\\Charge'), `${CHARGE}/`, `/x/..${CHARGE}`, `http://127.0.0.1:1/\\${CHARGE}`]) {
      const answer = await connectCharge(target, here());
      assert.equal(answer.status, 400, `${target}: ${answer.head}`);
      assert.equal((jsonOf(answer).error as { code: string }).code, 'invalid_request', target);
    }
    assert.equal(service.payments.charges, charges);
  });

  it("a target that names no RPC is the JSON API's, as before: its 404", async () => {
    const answer = await connectCharge('http://127.0.0.1:1/x', here());
    assert.equal(answer.status, 404, answer.head);
    assert.equal((jsonOf(answer).error as { code: string }).code, 'not_found');
  });

  it('the Host header is never read: a hostile one is answered like any other', async () => {
    for (const host of ['evil.example:99999', '[::1', 'user:pass@evil.example', 'a\\b', '127.0.0.1:1/x?', '%zz']) {
      const answer = await connectCharge(CHARGE, host);
      assert.equal(answer.status, 200, `Host: ${host}: ${answer.head || '(the connection was closed with no answer)'}`);
      assert.equal(jsonOf(answer).status, 'PAYMENT_STATUS_CAPTURED', host);
    }
  });

  it("the handler's URL is the parser's reading of the target, never built from the client's Host", async () => {
    // a server of the stage's own making (jsonServer + serveRpc) whose Charge tells what URL it saw
    const seen: string[] = [];
    const server = jsonServer(async () => ({ status: 404, body: { error: { code: 'not_found', message: 'no JSON API here' } } }));
    serveRpc(server, (router) =>
      router.service(PaymentsService, {
        charge: (req, ctx) => {
          seen.push(ctx.url);
          return create(ChargeResponseSchema, { orderId: req.orderId, status: PaymentStatus.CAPTURED });
        },
        refund: () => ({ refunded: false }),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const cases = [[CHARGE, 'user:pass@evil.example'], [`${CHARGE}?x=1`, 'evil.example'], [`http://evil.example:8080${CHARGE}`, `127.0.0.1:${port}`]];
      for (const [target = '', host = ''] of cases) {
        const sent = `POST ${target} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`;
        const answer = await rawRequest('127.0.0.1', port, sent);
        assert.equal(answer.status, 200, `${target} with Host ${host}: ${answer.head}`);
        const parsed = parseTarget(target);
        assert.ok('url' in parsed);
        assert.equal(seen.at(-1), parsed.url.toString(), `${target} with Host ${host}`);
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe(`RPC bodies are capped at MAX_BODY_BYTES (${MAX_BODY_BYTES} bytes), as the JSON API's are`, () => {
  it("over Connect (HTTP/1.1): a body of the cap is read; a byte more is resource_exhausted, whether its length is told or not", async () => {
    const charges = service.payments.charges;
    const atCap = await connectCharge(CHARGE, here(), chargeBodyOfSize(MAX_BODY_BYTES));
    // read whole and refused by the handler itself: order_id is at most 64 characters
    assert.equal(atCap.status, 400, atCap.head);
    assert.equal(jsonOf(atCap).code, 'invalid_argument');
    for (const framing of ['length', 'chunked'] as const) {
      const over = await connectCharge(CHARGE, here(), chargeBodyOfSize(MAX_BODY_BYTES + 1), framing);
      // the Connect protocol's HTTP status for resource_exhausted is 429
      assert.equal(over.status, 429, `${framing}: ${over.head || '(the connection was closed with no answer)'}`);
      assert.equal(jsonOf(over).code, 'resource_exhausted', framing);
    }
    assert.equal(service.payments.charges, charges);
  });

  it('over gRPC (HTTP/2, grpc-js): RESOURCE_EXHAUSTED, and the same connection goes on to charge', async () => {
    const charges = service.payments.charges;
    // the message's size on the wire: order_id's bytes plus its tag and length, and amount_cents
    const message = (orderIdBytes: number) => toBinary(ChargeRequestSchema, create(ChargeRequestSchema, { orderId: 'x'.repeat(orderIdBytes), amountCents: 100 }));
    const orderIdBytes = MAX_BODY_BYTES + 1 - (message(MAX_BODY_BYTES).length - MAX_BODY_BYTES);
    assert.equal(message(orderIdBytes).length, MAX_BODY_BYTES + 1);
    const over = await grpcJs.charge({ orderId: 'x'.repeat(orderIdBytes), amountCents: 100 }, 'grpc-over-cap');
    assert.equal(over.error?.code, grpc.status.RESOURCE_EXHAUSTED, `${over.error?.code} ${over.error?.details}`);
    const atCap = await grpcJs.charge({ orderId: 'x'.repeat(orderIdBytes - 1), amountCents: 100 }, 'grpc-at-cap');
    assert.equal(atCap.error?.code, grpc.status.INVALID_ARGUMENT, 'a message of the cap is read, then refused for its order_id');
    const fine = await grpcJs.charge({ orderId: 'ord_after_cap', amountCents: 100 }, 'grpc-after-cap');
    assert.equal(fine.reply?.status, 'PAYMENT_STATUS_CAPTURED');
    assert.equal(service.payments.charges, charges + 1);
  });
});

// One gRPC Charge over HTTP/2 with node:http2, its pseudo-headers as given. A call with no answer
// in 10 s fails (the server lost it), rather than waiting for ever.
function grpcCharge(headers: http2.OutgoingHttpHeaders, orderId = 'ord_h2'): Promise<{ status: number; grpcStatus: string | undefined; reply?: { status: PaymentStatus } }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${service.port}`);
    const timer = setTimeout(() => {
      session.destroy();
      reject(new Error(`no answer within 10 s to ${JSON.stringify(headers)}`));
    }, 10_000);
    session.once('error', reject);
    const payload = toBinary(ChargeRequestSchema, create(ChargeRequestSchema, { orderId, amountCents: 100 }));
    const frame = Buffer.alloc(5 + payload.length);
    frame.writeUInt32BE(payload.length, 1);
    frame.set(payload, 5);
    keys += 1;
    const stream = session.request({ ':method': 'POST', ':path': CHARGE, 'content-type': 'application/grpc', te: 'trailers', 'idempotency-key': `h2-${keys}`, ...headers });
    const chunks: Buffer[] = [];
    let status = 0;
    let grpcStatus: string | undefined;
    stream.on('response', (head) => {
      status = Number(head[':status']);
      grpcStatus = head['grpc-status'] as string | undefined; // a trailers-only answer
    });
    stream.on('trailers', (trailers) => (grpcStatus = trailers['grpc-status'] as string | undefined));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('close', () => {
      clearTimeout(timer);
      session.close();
      const body = Buffer.concat(chunks);
      resolve({ status, grpcStatus, ...(body.length > 5 ? { reply: fromBinary(ChargeResponseSchema, body.subarray(5)) } : {}) });
    });
    stream.end(frame);
  });
}

describe('HTTP/2 on the RPC port', () => {
  it('a hostile :authority is never read: the call is answered, and the process goes on', async () => {
    // (nghttp2 itself resets a stream whose :authority holds userinfo, a space or a path)
    for (const authority of ['evil.example:99999', '[::1', '127.0.0.1:1']) {
      const answer = await grpcCharge({ ':authority': authority });
      assert.equal(answer.status, 200, authority);
      assert.equal(answer.grpcStatus, '0', authority);
      assert.equal(answer.reply?.status, PaymentStatus.CAPTURED, authority);
    }
  });

  it('a :path the parser refuses names no RPC', async () => {
    const charges = service.payments.charges;
    for (const path of [`//evil.example:99999${CHARGE}`, `/\\evil.example${CHARGE}`, `${CHARGE}/`]) {
      const answer = await grpcCharge({ ':path': path });
      assert.equal(answer.status, 404, path); // what gRPC clients read as UNIMPLEMENTED
      assert.notEqual(answer.grpcStatus, '0', path);
      assert.equal(answer.reply, undefined, path);
    }
    assert.equal(service.payments.charges, charges);
  });
});

it('after all of it the service answers a normal Charge over Connect (HTTP/1.1) and over gRPC (HTTP/2)', async () => {
  const connect = await connectCharge(CHARGE, here(), '{"orderId":"ord_normal","amountCents":250}');
  assert.equal(connect.status, 200, connect.head);
  assert.equal(jsonOf(connect).status, 'PAYMENT_STATUS_CAPTURED');
  const overGrpc = await grpcJs.charge({ orderId: 'ord_normal_grpc', amountCents: 250 }, 'normal-grpc');
  assert.equal(overGrpc.reply?.status, 'PAYMENT_STATUS_CAPTURED');
  const json = await fetch(`${service.url}/payments?orderId=ord_normal`);
  assert.equal(json.status, 200, 'the JSON API still answers on the same port');
  assert.equal(((await json.json()) as unknown[]).length, 1);
});
