// Kept apart from rpc-support.ts, which exercise/check.ts imports too: @grpc/grpc-js loads
// node:http2 as it loads, and the check must run where there is none.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

// Another gRPC implementation's client for the payments service: @grpc/grpc-js with
// @grpc/proto-loader, reading the stage's .proto at run time (no generated code of ours).
export type ChargeReply = { paymentId: string; orderId: string; amountCents: number; status: string };
type Charge = (request: object, metadata: grpc.Metadata, options: grpc.CallOptions, done: (error: grpc.ServiceError | null, reply?: ChargeReply) => void) => void;

export function grpcJsPayments(port: number): { charge: (request: object, key?: string, deadlineMs?: number) => Promise<{ reply?: ChargeReply; error?: grpc.ServiceError }>; close: () => void } {
  const definition = protoLoader.loadSync(fileURLToPath(new URL('../proto/shop/payments/v1/payments.proto', import.meta.url)), { enums: String });
  const proto = grpc.loadPackageDefinition(definition) as unknown as { shop: { payments: { v1: { PaymentsService: grpc.ServiceClientConstructor } } } };
  const client = new proto.shop.payments.v1.PaymentsService(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as grpc.Client & { Charge: Charge };
  const charge = (request: object, key?: string, deadlineMs = 5_000) => {
    const metadata = new grpc.Metadata();
    if (key) metadata.set('idempotency-key', key);
    return new Promise<{ reply?: ChargeReply; error?: grpc.ServiceError }>((resolve) => client.Charge(request, metadata, { deadline: Date.now() + deadlineMs }, (error, reply) => resolve(error ? { error } : { reply })));
  };
  return { charge, close: () => client.close() };
}
