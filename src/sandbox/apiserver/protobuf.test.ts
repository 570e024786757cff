import { describe, expect, it } from 'vitest';
import { ApiError } from '../store/errors';
import { decodeDeleteOptions, decodeNamespace, readEnvelope } from './protobuf';

// A tiny protobuf writer, to build the messages kubectl would send.
function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

function bytesField(number: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.from([...varint((number << 3) | 2), ...varint(body.length), ...body]);
}

function varintField(number: number, value: number): Buffer {
  return Buffer.from([...varint(number << 3), ...varint(value)]);
}

function mapEntry(number: number, key: string, value: string): Buffer {
  return bytesField(number, Buffer.concat([bytesField(1, key), bytesField(2, value)]));
}

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const typeMeta = Buffer.concat([bytesField(1, apiVersion), bytesField(2, kind)]);
  return Buffer.concat([
    Buffer.from('k8s\u0000', 'latin1'),
    bytesField(1, typeMeta),
    bytesField(2, raw),
    bytesField(3, ''),
    bytesField(4, ''),
  ]);
}

function decodeError(action: () => unknown): ApiError {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiError) return error;
  }
  throw new Error('expected an ApiError');
}

describe('the protobuf reader', () => {
  it('reads a Namespace with generateName, labels and annotations', () => {
    const metadata = Buffer.concat([
      bytesField(2, 'team-'),
      varintField(7, 0),
      mapEntry(11, 'team', 'payments'),
      mapEntry(11, 'tier', 'gold'),
      mapEntry(12, 'owner', 'dba@example.com'),
    ]);
    const body = envelope(
      'v1',
      'Namespace',
      Buffer.concat([bytesField(1, metadata), bytesField(2, '')]),
    );
    expect(decodeNamespace(readEnvelope(body))).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        generateName: 'team-',
        labels: { team: 'payments', tier: 'gold' },
        annotations: { owner: 'dba@example.com' },
      },
    });
  });

  it('reads DeleteOptions with a grace period, a propagation policy and dryRun', () => {
    const raw = Buffer.concat([
      varintField(1, 0),
      bytesField(4, 'Background'),
      bytesField(5, 'All'),
    ]);
    expect(
      decodeDeleteOptions(readEnvelope(envelope('meta.k8s.io/v1', 'DeleteOptions', raw))),
    ).toEqual({
      gracePeriodSeconds: 0,
      propagationPolicy: 'Background',
      dryRun: ['All'],
    });
  });

  it('refuses bodies without the k8s envelope', () => {
    expect(decodeError(() => readEnvelope(Buffer.from('{"kind":"Namespace"}'))).code).toBe(400);
  });

  it('refuses a length that runs past the end of the body', () => {
    const truncated = Buffer.concat([
      Buffer.from('k8s\u0000', 'latin1'),
      Buffer.from([0x12, 0x7f, 0x01]),
    ]);
    expect(decodeError(() => readEnvelope(truncated)).message).toContain('field past the end');
  });

  it('refuses an endless varint', () => {
    const endless = Buffer.concat([Buffer.from('k8s\u0000', 'latin1'), Buffer.alloc(20, 0xff)]);
    expect(decodeError(() => readEnvelope(endless)).code).toBe(400);
  });

  it('accepts only v1 Namespaces as objects', () => {
    const body = envelope('v1', 'Pod', bytesField(1, bytesField(1, 'p')));
    expect(decodeError(() => decodeNamespace(readEnvelope(body))).message).toContain(
      'only v1 Namespace',
    );
  });
});
