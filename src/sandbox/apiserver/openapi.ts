// OpenAPI documents. `kubectl apply` (1.32) asks for /openapi/v3, then lists
// CustomResourceDefinitions (a 404 here is fine), then fetches /openapi/v2,
// which it only accepts in the protobuf content type below. The sandbox
// publishes no schemas: an empty v3 index and an empty (zero-byte) v2
// document make kubectl fall back to JSON merge patches for custom resources
// and to its compiled-in types for namespaces and pods, while the sandbox
// validates custom resources itself on write. This is the smallest answer
// found to let `kubectl apply` work without --validate=false.
import type { ServerResponse } from 'node:http';
import { pathNotFound } from '../store/errors';
import { sendJson } from './http';

const protobufV2 = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

export function serveOpenApi(
  res: ServerResponse,
  input: { version: string; accept: string | undefined },
): void {
  if (input.version === 'v2') {
    if ((input.accept ?? '').includes('protobuf')) {
      // A protobuf message with no fields set is zero bytes long.
      res.writeHead(200, { 'Content-Type': protobufV2, 'Content-Length': 0 });
      res.end();
      return;
    }
    sendJson(res, 200, {
      swagger: '2.0',
      info: { title: 'Kubernetes', version: 'v1.32.0' },
      paths: {},
    });
    return;
  }
  if (input.version === 'v3') {
    sendJson(res, 200, { paths: {} });
    return;
  }
  throw pathNotFound();
}
