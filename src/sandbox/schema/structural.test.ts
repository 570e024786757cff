import { describe, expect, it } from 'vitest';
import { admitWithSchema, type CrdSchema } from './structural';

const schema: CrdSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { 'x-kubernetes-int-or-string': true },
        mode: { type: 'string', default: 'fast', enum: ['fast', 'safe'] },
        name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
        replicas: { type: 'integer', minimum: 1, maximum: 9 },
        note: { type: 'string', nullable: true },
        parameters: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

function admit(spec: unknown): {
  object: Record<string, unknown>;
  messages: string[];
  unknown: string[];
} {
  const object: Record<string, unknown> = { apiVersion: 'x/v1', kind: 'X', metadata: {}, spec };
  const result = admitWithSchema(object, schema);
  return {
    object,
    messages: result.causes.map((cause) => `${cause.field ?? ''}: ${cause.message}`),
    unknown: result.unknownFields,
  };
}

describe('structural schema admission', () => {
  it('accepts int-or-string and null where nullable, and fills defaults', () => {
    const { object, messages } = admit({ size: '1Gi', note: null });
    expect(messages).toEqual([]);
    expect(object.spec).toEqual({ size: '1Gi', note: null, mode: 'fast' });
  });

  it('prunes unknown fields but keeps those under preserve-unknown-fields', () => {
    const { object, unknown } = admit({ size: 1, extra: 1, free: { anything: { goes: true } } });
    expect(object.spec).toEqual({ size: 1, mode: 'fast', free: { anything: { goes: true } } });
    expect(unknown).toEqual(['spec.extra']);
  });

  it('reports each violation in the apiserver wording', () => {
    const { messages } = admit({
      mode: 'slow',
      name: 'Abcdefg',
      replicas: 0,
      parameters: { a: 1 },
    });
    expect(messages).toEqual([
      'spec.mode: Unsupported value: "slow": supported values: "fast", "safe"',
      'spec.name: Too long: may not be more than 5 bytes',
      `spec.name: Invalid value: "Abcdefg": spec.name in body should match '^[a-z]+$'`,
      'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
      'spec.parameters.a: Invalid value: "integer": spec.parameters.a in body must be of type string: "integer"',
      'spec.size: Required value',
    ]);
  });
});
