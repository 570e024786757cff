// OpenAPI documents. `kubectl apply` fetches /openapi/v2 (or v3) before
// writing, to learn patch strategies and to validate; it needs the v2 answer
// in the protobuf content type below. The sandbox publishes no schemas: an
// empty document makes kubectl fall back to JSON merge patches for custom
// resources and its compiled-in knowledge for namespaces and pods, while
// the sandbox validates custom resources itself on write.
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
