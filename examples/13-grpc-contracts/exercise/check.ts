// Checks the chapter's exercise: a GetPayment RPC, end to end. The payments contract
// (proto/shop/payments/v1/payments.proto) gains GetPayment(GetPaymentRequest) returns
// (GetPaymentResponse), the order's payment as it stands, with NOT_FOUND when there is none;
// the generated code is made again (npm run generate); the payments service serves it; and a
// client reaches it over gRPC and over the Connect protocol. Adding an RPC is a compatible
// change: buf breaking still passes against proto-previous/.
//
// Run it with `npm run check:exercise`. It starts the stage's payments server in this process
// (in-memory payments, no database) and calls it as another service would; the buf part runs
// where buf can (not in the browser's container, where it says it skipped it), and gRPC where
// the runtime has node:http2 (without it, the Connect protocol alone, and it says so).

import { fileURLToPath } from 'node:url';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import type { CallOptions } from '@connectrpc/connect';
import { PaymentsService, PaymentStatus } from '../src/gen/shop/payments/v1/payments_pb.js';
import { chooseProtocol, rpcTransport } from '../src/adapters/rpc-client.ts';
import type { RpcProtocol } from '../src/adapters/rpc-client.ts';
import { findBuf, runBuf } from '../test/buf-support.ts';
import { startPayments } from '../test/rpc-support.ts';

const problems: string[] = [];
type Answer = Record<string, unknown>;
// The RPC is looked up by name: before the exercise the generated code has no GetPayment.
type LooseClient = Record<string, ((request: object, options?: CallOptions) => Promise<Answer>) | undefined>;

const codeOf = (error: unknown) => (error instanceof ConnectError ? Code[error.code] : `not a ConnectError: ${String(error)}`);

async function checkOver(protocol: RpcProtocol, url: string): Promise<void> {
  const client = createClient(PaymentsService, rpcTransport(url, protocol)) as unknown as LooseClient;
  const charge = client.charge!;
  const getPayment = client.getPayment!;
  const orderId = `ord_exercise_${protocol}`;
  await charge({ orderId, amountCents: 1250 }, { headers: { 'idempotency-key': `exercise-${protocol}` } });
  let answer: Answer;
  try {
    answer = await getPayment({ orderId });
  } catch (error) {
    const code = codeOf(error);
    problems.push(
      code === 'Unimplemented'
        ? `over ${protocol}: the payments service does not serve GetPayment yet (src/adapters/payments-rpc.ts, paymentsRoutes)`
        : `over ${protocol}: GetPayment for a charged order failed with ${code}: ${(error as Error).message}`,
    );
    return;
  }
  if (answer.orderId !== orderId || answer.amountCents !== 1250 || answer.status !== PaymentStatus.CAPTURED || typeof answer.paymentId !== 'string' || answer.paymentId === '') {
    problems.push(`over ${protocol}: GetPayment for an order charged 1250 cents answered ${JSON.stringify(answer)}; expected its payment id, order id, amount and status CAPTURED`);
  }
  for (const [ask, expected] of [
    [{ orderId: `ord_never_charged_${protocol}` }, 'NotFound'],
    [{ orderId: '' }, 'InvalidArgument'],
  ] as const) {
    try {
      problems.push(`over ${protocol}: GetPayment(${JSON.stringify(ask)}) answered ${JSON.stringify(await getPayment(ask))}; expected ${expected}`);
    } catch (error) {
      if (codeOf(error) !== expected) problems.push(`over ${protocol}: GetPayment(${JSON.stringify(ask)}) failed with ${codeOf(error)}; expected ${expected}`);
    }
  }
}

const method = PaymentsService.methods.find((m) => m.name === 'GetPayment');
// (the probe alone, whatever RPC_PROTOCOL says: gRPC is checked wherever it can run)
const protocols: RpcProtocol[] = (await chooseProtocol({})) === 'grpc' ? ['grpc', 'connect'] : ['connect'];
if (!method) {
  problems.push('PaymentsService has no GetPayment RPC in src/gen/: add it to proto/shop/payments/v1/payments.proto, then run npm run generate');
} else {
  if (!protocols.includes('grpc')) console.log('(gRPC skipped: this runtime has no node:http2; GetPayment checked over the Connect protocol)');
  const service = await startPayments();
  try {
    for (const protocol of protocols) await checkOver(protocol, service.url);
  } finally {
    await service.stop();
  }
}

const buf = findBuf();
if (buf.bin) {
  const proto = fileURLToPath(new URL('../proto', import.meta.url));
  const breaking = runBuf(buf.bin, proto, ['breaking', '--against', '../proto-previous']);
  if (breaking.status !== 0) problems.push(`buf breaking finds an incompatible change (an RPC added is not one):\n${breaking.stdout}${breaking.stderr}`);
  const lint = runBuf(buf.bin, proto, ['lint']);
  if (lint.status !== 0) problems.push(`buf lint:\n${lint.stdout}${lint.stderr}`);
} else {
  console.log(`(buf breaking and buf lint skipped: ${buf.reason})`);
}

if (problems.length > 0) {
  console.error('✘ exercise not solved yet:');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`✔ exercise solved: GetPayment is in the contract, served by payments, and answers over ${protocols.map((p) => (p === 'grpc' ? 'gRPC' : 'Connect')).join(' and ')}.`);
