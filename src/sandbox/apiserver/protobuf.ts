// Just enough Kubernetes protobuf to read what kubectl sends in that
// encoding: `kubectl create namespace` posts the Namespace as
// application/vnd.kubernetes.protobuf and never retries with JSON, and typed
// deletes may carry DeleteOptions the same way. The protobufjs package is not
// a dependency and would need the generated Kubernetes descriptors anyway, so
// this reads the wire format directly: varints and length-delimited fields,
// skipping fixed-width ones, for the few messages and fields the sandbox uses.
import { badRequest } from '../store/errors';

/** The 4-byte prefix of every Kubernetes protobuf body. */
const envelopeMagic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Field = { number: number; varint: bigint } | { number: number; bytes: Buffer };

function fail(reason: string): never {
  throw badRequest(`unable to decode protobuf body: ${reason}`);
}

function readVarint(buffer: Buffer, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let offset = start; offset < buffer.length && shift < 70n; offset++) {
    const byte = buffer[offset] ?? 0;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value, next: offset + 1 };
    shift += 7n;
  }
  return fail('truncated or overlong varint');
}

/** Splits one message into its fields; fixed 32/64-bit fields are skipped. */
export function readFields(buffer: Buffer): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const tag = readVarint(buffer, offset);
    offset = tag.next;
    const number = Number(tag.value >> 3n);
    const wireType = Number(tag.value & 7n);
    if (number === 0) fail('field number 0');
    if (wireType === 0) {
      const varint = readVarint(buffer, offset);
      fields.push({ number, varint: varint.value });
      offset = varint.next;
    } else if (wireType === 2) {
      const length = readVarint(buffer, offset);
      const end = length.next + Number(length.value);
      if (length.value > BigInt(buffer.length) || end > buffer.length) fail('field past the end');
      fields.push({ number, bytes: buffer.subarray(length.next, end) });
      offset = end;
    } else if (wireType === 1 || wireType === 5) {
      offset += wireType === 1 ? 8 : 4;
      if (offset > buffer.length) fail('field past the end');
    } else {
      fail(`unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

function text(field: Field): string {
  return 'bytes' in field
    ? field.bytes.toString('utf8')
    : fail(`field ${field.number} is not bytes`);
}

function message(field: Field): Buffer {
  return 'bytes' in field ? field.bytes : fail(`field ${field.number} is not a message`);
}

/** runtime.Unknown inside the `k8s\0` envelope. */
export interface ProtobufEnvelope {
  apiVersion: string;
  kind: string;
  raw: Buffer;
}

export function readEnvelope(body: Buffer): ProtobufEnvelope {
  if (body.length < 4 || !body.subarray(0, 4).equals(envelopeMagic)) {
    fail('missing the k8s envelope prefix');
  }
  const envelope: ProtobufEnvelope = { apiVersion: '', kind: '', raw: Buffer.alloc(0) };
  for (const field of readFields(body.subarray(4))) {
    if (field.number === 1) {
      for (const typeField of readFields(message(field))) {
        if (typeField.number === 1) envelope.apiVersion = text(typeField);
        if (typeField.number === 2) envelope.kind = text(typeField);
      }
    }
    if (field.number === 2) envelope.raw = message(field);
    if (field.number === 3 && text(field) !== '') fail('content encodings are not supported');
  }
  return envelope;
}

function readMapEntry(buffer: Buffer): [string, string] {
  let key = '';
  let value = '';
  for (const field of readFields(buffer)) {
    if (field.number === 1) key = text(field);
    if (field.number === 2) value = text(field);
  }
  return [key, value];
}

/** ObjectMeta fields the sandbox reads: name, generateName, namespace, labels, annotations. */
function readObjectMeta(buffer: Buffer): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const strings: Record<number, string> = { 1: 'name', 2: 'generateName', 3: 'namespace' };
  for (const field of readFields(buffer)) {
    const stringField = strings[field.number];
    // kubectl sends unset strings as empty fields; they mean "not set".
    if (stringField !== undefined) {
      const value = text(field);
      if (value !== '') metadata[stringField] = value;
    }
    if (field.number === 11)
      Object.assign(labels, Object.fromEntries([readMapEntry(message(field))]));
    else if (field.number === 12) {
      Object.assign(annotations, Object.fromEntries([readMapEntry(message(field))]));
    }
  }
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  return metadata;
}

/** A v1 Namespace (metadata only; its spec and status are server-set). */
export function decodeNamespace(envelope: ProtobufEnvelope): Record<string, unknown> {
  if (envelope.kind !== 'Namespace' || envelope.apiVersion !== 'v1') {
    fail(`only v1 Namespace is accepted as protobuf, got ${envelope.apiVersion} ${envelope.kind}`);
  }
  let metadata: Record<string, unknown> = {};
  for (const field of readFields(envelope.raw)) {
    if (field.number === 1) metadata = readObjectMeta(message(field));
  }
  return { apiVersion: 'v1', kind: 'Namespace', metadata };
}

/** meta/v1 DeleteOptions: gracePeriodSeconds (1), propagationPolicy (4), dryRun (5). */
export function decodeDeleteOptions(envelope: ProtobufEnvelope): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const dryRun: string[] = [];
  for (const field of readFields(envelope.raw)) {
    if (field.number === 1 && 'varint' in field)
      options.gracePeriodSeconds = Number(BigInt.asIntN(64, field.varint));
    if (field.number === 4) options.propagationPolicy = text(field);
    if (field.number === 5) dryRun.push(text(field));
  }
  if (dryRun.length > 0) options.dryRun = dryRun;
  return options;
}
